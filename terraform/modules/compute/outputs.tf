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
