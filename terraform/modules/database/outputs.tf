output "address" {
  value = aws_db_instance.main.address
}

output "endpoint" {
  value = aws_db_instance.main.endpoint
}

output "port" {
  value = aws_db_instance.main.port
}

output "identifier" {
  value = aws_db_instance.main.identifier
}

output "db_name" {
  value = aws_db_instance.main.db_name
}

output "username" {
  value = aws_db_instance.main.username
}

output "app_username" {
  value = var.app_username
}

output "migrate_username" {
  value = var.migrate_username
}
