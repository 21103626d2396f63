output "execution_role_arn" {
  value = aws_iam_role.execution.arn
}

output "task_role_arn" {
  value = aws_iam_role.task.arn
}

output "admin_execution_role_arn" {
  value = aws_iam_role.admin_execution.arn
}

output "admin_task_role_arn" {
  value = aws_iam_role.admin_task.arn
}
