output "codedeploy_app_name" {
  value = aws_codedeploy_app.api.name
}

output "codedeploy_deployment_group_name" {
  value = aws_codedeploy_deployment_group.api.deployment_group_name
}

output "codedeploy_deployment_group_arn" {
  value = aws_codedeploy_deployment_group.api.arn
}
