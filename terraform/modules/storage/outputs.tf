output "content_bucket" {
  value = aws_s3_bucket.content.id
}

output "content_bucket_arn" {
  value = aws_s3_bucket.content.arn
}

output "exports_bucket" {
  value = aws_s3_bucket.exports.id
}

output "exports_bucket_arn" {
  value = aws_s3_bucket.exports.arn
}

output "backups_bucket" {
  value = aws_s3_bucket.backups.id
}

output "backups_bucket_arn" {
  value = aws_s3_bucket.backups.arn
}

output "frontend_bucket" {
  value = aws_s3_bucket.frontend.id
}

output "frontend_bucket_arn" {
  value = aws_s3_bucket.frontend.arn
}

output "frontend_bucket_regional_domain_name" {
  value = aws_s3_bucket.frontend.bucket_regional_domain_name
}

output "logs_bucket" {
  value = aws_s3_bucket.logs.id
}

output "logs_bucket_domain_name" {
  description = "For CloudFront's standard logging."
  value       = aws_s3_bucket.logs.bucket_domain_name
}
