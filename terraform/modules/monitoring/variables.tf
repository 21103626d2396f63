variable "name" {
  description = "Name prefix (plccoach, plccoach-staging)."
  type        = string
}

variable "name_path" {
  description = "The name in log group paths: /ecs/NAME_PATH/api, /application/NAME_PATH."
  type        = string
}

variable "log_retention_days" {
  description = "90 days in production, 30 in staging."
  type        = number
}

variable "alarm_email" {
  description = "An address subscribed to the alarms topic (empty: subscribe by hand)."
  type        = string
  default     = ""
}

variable "alb_arn_suffix" {
  description = "The ALB's ARN suffix (CloudWatch dimension)."
  type        = string
}

variable "db_instance_identifier" {
  description = "The RDS instance."
  type        = string
}

variable "cluster_name" {
  description = "The ECS cluster."
  type        = string
}

variable "service_name" {
  description = "The ECS service."
  type        = string
}
