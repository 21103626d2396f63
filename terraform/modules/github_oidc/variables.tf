variable "name" {
  type = string
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows deploy."
  type        = string
}

variable "github_environment" {
  description = "The GitHub environment the workflows run in (production, staging)."
  type        = string
}

variable "create_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false when another environment in the account did)."
  type        = bool
  default     = true
}

variable "ecr_repository_arn" {
  type = string
}

variable "cluster_name" {
  type = string
}

variable "service_name" {
  type = string
}

variable "pass_role_arns" {
  description = "The ECS execution and task roles (task definitions name them)."
  type        = list(string)
}

variable "frontend_bucket_arn" {
  type = string
}

variable "distribution_arn" {
  type = string
}

variable "codedeploy_app_name" {
  type = string
}

variable "codedeploy_group_name" {
  type = string
}

variable "deployment_config_name" {
  type = string
}
