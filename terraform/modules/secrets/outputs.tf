output "db_secret_arn" {
  value = aws_secretsmanager_secret.db.arn
}

output "db_secret_name" {
  value = aws_secretsmanager_secret.db.name
}

output "app_secret_arn" {
  value = aws_secretsmanager_secret.app.arn
}

output "app_secret_keys" {
  value = var.app_secret_keys
}

output "db_app_secret_arn" {
  value = aws_secretsmanager_secret.db_app.arn
}

output "db_migrate_secret_arn" {
  value = aws_secretsmanager_secret.db_migrate.arn
}

output "origin_secret_arn" {
  value = aws_secretsmanager_secret.origin.arn
}

output "origin_secret_value" {
  description = "The active value, for CloudFront's origin custom header (which keeps it in its configuration and in the state)."
  value       = random_password.origin[var.origin_secret_active].result
  sensitive   = true
}
