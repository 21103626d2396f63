output "repository_url" {
  value = aws_ecr_repository.api.repository_url
}

output "repository_arn" {
  value = aws_ecr_repository.api.arn
}

output "repository_name" {
  value = aws_ecr_repository.api.name
}
