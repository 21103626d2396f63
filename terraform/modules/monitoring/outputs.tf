output "api_log_group_name" {
  value = aws_cloudwatch_log_group.api.name
}

output "api_log_group_arn" {
  value = aws_cloudwatch_log_group.api.arn
}

output "application_log_group_name" {
  value = aws_cloudwatch_log_group.application.name
}

output "application_log_group_arn" {
  value = aws_cloudwatch_log_group.application.arn
}

output "sns_alarms_topic_arn" {
  value = aws_sns_topic.alarms.arn
}

output "deployment_alarm_names" {
  description = "The alarms that stop a blue/green deployment and roll it back."
  value = [
    aws_cloudwatch_metric_alarm.high_error_rate.alarm_name,
    aws_cloudwatch_metric_alarm.high_response_time.alarm_name,
    aws_cloudwatch_metric_alarm.ecs_high_cpu.alarm_name,
    aws_cloudwatch_metric_alarm.ecs_high_memory.alarm_name,
  ]
}

output "dashboard_name" {
  value = aws_cloudwatch_dashboard.main.dashboard_name
}
