# What docs/operations.md and the workflows use (terraform output NAME).

output "vpc_id" {
  value = module.network.vpc_id
}

output "alb_dns_name" {
  value = module.load_balancer.alb_dns_name
}

output "alb_zone_id" {
  value = module.load_balancer.alb_zone_id
}

output "cloudfront_domain_name" {
  value = module.cdn.domain_name
}

output "cloudfront_distribution_id" {
  value = module.cdn.distribution_id
}

output "public_url" {
  value = local.public_url
}

output "ecr_repository_url" {
  value = module.registry.repository_url
}

output "ecs_cluster_name" {
  value = module.compute.cluster_name
}

output "ecs_service_name" {
  value = module.compute.service_name
}

output "ecs_container_name" {
  value = module.compute.container_name
}

output "ecs_task_definition_family" {
  value = module.compute.task_definition_family
}

output "ecs_admin_task_definition_family" {
  value = module.compute.admin_task_definition_family
}

output "ecs_fargate_base" {
  description = "The ECS_FARGATE_BASE variable of the GitHub environment (the AppSpec's capacity-provider strategy)."
  value       = module.compute.fargate_base
}

output "ecs_fargate_spot_weight" {
  description = "The ECS_FARGATE_SPOT_WEIGHT variable of the GitHub environment."
  value       = module.compute.fargate_spot_weight
}

output "ecs_private_subnet_ids" {
  value = module.network.private_subnet_ids
}

output "ecs_security_group_id" {
  value = module.security.ecs_security_group_id
}

output "codedeploy_app_name" {
  value = module.deployment.codedeploy_app_name
}

output "codedeploy_deployment_group_name" {
  value = module.deployment.codedeploy_deployment_group_name
}

output "rds_endpoint" {
  value = module.database.address
}

output "rds_instance_identifier" {
  value = module.database.identifier
}

output "db_secret_name" {
  value = module.secrets.db_secret_name
}

output "app_secret_arn" {
  value = module.secrets.app_secret_arn
}

output "db_app_secret_arn" {
  value = module.secrets.db_app_secret_arn
}

output "db_migrate_secret_arn" {
  value = module.secrets.db_migrate_secret_arn
}

output "origin_secret_arn" {
  value = module.secrets.origin_secret_arn
}

output "logs_bucket" {
  value = module.storage.logs_bucket
}

output "content_bucket" {
  value = module.storage.content_bucket
}

output "exports_bucket" {
  value = module.storage.exports_bucket
}

output "backups_bucket" {
  value = module.storage.backups_bucket
}

output "frontend_bucket" {
  value = module.storage.frontend_bucket
}

output "api_log_group" {
  value = module.monitoring.api_log_group_name
}

output "application_log_group" {
  value = module.monitoring.application_log_group_name
}

output "sns_alarms_topic_arn" {
  value = module.monitoring.sns_alarms_topic_arn
}

output "dashboard_name" {
  value = module.monitoring.dashboard_name
}

output "github_actions_role_arn" {
  description = "The AWS_ROLE_TO_ASSUME secret of the GitHub environment."
  value       = module.github_oidc.role_arn
}
