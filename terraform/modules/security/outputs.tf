output "alb_security_group_id" {
  value = aws_security_group.alb.id
}

output "ecs_security_group_id" {
  value = aws_security_group.ecs_tasks.id
}

output "rds_security_group_id" {
  value = aws_security_group.rds.id
}

output "rds_kms_key_arn" {
  value = aws_kms_key.rds.arn
}

output "s3_kms_key_arn" {
  value = aws_kms_key.s3.arn
}

output "secrets_kms_key_arn" {
  value = aws_kms_key.secrets.arn
}
