output "cluster_name" {
  value = aws_ecs_cluster.main.name
}

output "cluster_arn" {
  value = aws_ecs_cluster.main.arn
}

output "service_name" {
  value = aws_ecs_service.api.name
}

output "container_name" {
  value = local.container_name
}

output "task_definition_family" {
  value = aws_ecs_task_definition.api.family
}

output "task_definition_arn" {
  value = aws_ecs_task_definition.api.arn
}

output "admin_task_definition_family" {
  value = aws_ecs_task_definition.admin.family
}

output "fargate_base" {
  description = "The service's FARGATE base: the AppSpec's (ECS_FARGATE_BASE in the GitHub environment)."
  value       = var.fargate_base
}

output "fargate_spot_weight" {
  description = "The service's FARGATE_SPOT weight: the AppSpec's (ECS_FARGATE_SPOT_WEIGHT)."
  value       = var.fargate_spot_weight
}
