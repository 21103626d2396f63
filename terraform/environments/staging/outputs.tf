# The stack's outputs, for `terraform output -raw NAME` (docs/operations.md).

output "vpc_id" {
  value = module.stack.vpc_id
}

output "alb_dns_name" {
  value = module.stack.alb_dns_name
}

output "alb_zone_id" {
  value = module.stack.alb_zone_id
}

output "cloudfront_domain_name" {
  value = module.stack.cloudfront_domain_name
}

output "cloudfront_distribution_id" {
  value = module.stack.cloudfront_distribution_id
}

output "public_url" {
  value = module.stack.public_url
}

output "ecr_repository_url" {
  value = module.stack.ecr_repository_url
}

output "ecs_cluster_name" {
  value = module.stack.ecs_cluster_name
}

output "ecs_service_name" {
  value = module.stack.ecs_service_name
}

output "ecs_container_name" {
  value = module.stack.ecs_container_name
}

output "ecs_task_definition_family" {
  value = module.stack.ecs_task_definition_family
}

output "ecs_admin_task_definition_family" {
  value = module.stack.ecs_admin_task_definition_family
}

output "ecs_fargate_base" {
  value = module.stack.ecs_fargate_base
}

output "ecs_fargate_spot_weight" {
  value = module.stack.ecs_fargate_spot_weight
}

output "ecs_private_subnet_ids" {
  value = module.stack.ecs_private_subnet_ids
}

output "ecs_security_group_id" {
  value = module.stack.ecs_security_group_id
}

output "codedeploy_app_name" {
  value = module.stack.codedeploy_app_name
}

output "codedeploy_deployment_group_name" {
  value = module.stack.codedeploy_deployment_group_name
}

output "rds_endpoint" {
  value = module.stack.rds_endpoint
}

output "rds_instance_identifier" {
  value = module.stack.rds_instance_identifier
}

output "db_secret_name" {
  value = module.stack.db_secret_name
}

output "app_secret_arn" {
  value = module.stack.app_secret_arn
}

output "db_app_secret_arn" {
  value = module.stack.db_app_secret_arn
}

output "db_migrate_secret_arn" {
  value = module.stack.db_migrate_secret_arn
}

output "origin_secret_arn" {
  value = module.stack.origin_secret_arn
}

output "logs_bucket" {
  value = module.stack.logs_bucket
}

output "content_bucket" {
  value = module.stack.content_bucket
}

output "exports_bucket" {
  value = module.stack.exports_bucket
}

output "backups_bucket" {
  value = module.stack.backups_bucket
}

output "frontend_bucket" {
  value = module.stack.frontend_bucket
}

output "api_log_group" {
  value = module.stack.api_log_group
}

output "application_log_group" {
  value = module.stack.application_log_group
}

output "sns_alarms_topic_arn" {
  value = module.stack.sns_alarms_topic_arn
}

output "dashboard_name" {
  value = module.stack.dashboard_name
}

output "github_actions_role_arn" {
  value = module.stack.github_actions_role_arn
}
