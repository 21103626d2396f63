variable "name" {
  type = string
}

variable "deployment_config_name" {
  description = "How traffic shifts: canary 10% for 5 minutes in production, all at once in staging."
  type        = string
  default     = "CodeDeployDefault.ECSCanary10Percent5Minutes"
}

variable "alarm_names" {
  description = "Alarms that stop a deployment and roll it back."
  type        = list(string)
}

variable "cluster_name" {
  type = string
}

variable "service_name" {
  type = string
}

variable "https_listener_arn" {
  type = string
}

variable "blue_target_group_name" {
  type = string
}

variable "green_target_group_name" {
  type = string
}
