variable "environment" {
  description = "production or staging."
  type        = string

  validation {
    condition     = contains(["production", "staging"], var.environment)
    error_message = "environment must be production or staging."
  }
}

variable "name" {
  description = "What every resource's name starts with: plccoach in production (the document's names: plccoach-cluster, plccoach-content-ACCOUNT ...), plccoach-staging in staging, so two environments can share an account."
  type        = string
}

variable "log_name" {
  description = "The name in log group paths: plccoach gives /ecs/plccoach/api and /application/plccoach."
  type        = string
}

variable "nat_gateway_count" {
  description = "2 (one per AZ) or 1."
  type        = number
}

variable "db_instance_class" {
  type = string
}

variable "db_multi_az" {
  type = bool
}

variable "log_retention_days" {
  type = number
}

variable "desired_count" {
  type = number
}

variable "min_count" {
  type = number
}

variable "max_count" {
  type = number
}

variable "workers" {
  description = "PLCCOACH_WORKERS per task: the streamed answers one task holds at once (bench/capacity.sh, docs/performance.md \"Capacity of one task\")."
  type        = number
}

variable "job_workers" {
  description = "PLCCOACH_JOB_WORKERS per task."
  type        = number
  default     = 1
}

variable "db_max_connections" {
  description = "The database's max_connections (pinned in its parameter group)."
  type        = number

  # The connection budget at full scale (docs/operations.md, "Database
  # connections"): max_count tasks, doubled while a blue/green deployment
  # runs both task sets, each holding a connection per worker and two per
  # job process (its own and an ingestion's), plus the admin task's two
  # and the five slots PostgreSQL keeps for superusers
  # (superuser_reserved_connections 3, rds.rds_superuser_reserved_connections 2).
  validation {
    condition     = 2 * var.max_count * (var.workers + 2 * var.job_workers) + 2 + 5 <= var.db_max_connections
    error_message = "2 x max_count x (workers + 2 x job_workers) + 7 exceeds db_max_connections: lower workers or max_count, or a bigger database class (docs/operations.md, \"Database connections\")."
  }
}

variable "fargate_base" {
  type = number
}

variable "fargate_spot_weight" {
  type = number
}

variable "deployment_config_name" {
  type = string
}

variable "alb_certificate_arn" {
  description = "ACM certificate for the ALB's HTTPS listener (the ALB's region)."
  type        = string
}

variable "api_origin_domain" {
  description = "The ALB's DNS name as the certificate covers it (CloudFront's /api/* origin)."
  type        = string
}

variable "aliases" {
  description = "The site's names on CloudFront (empty: its cloudfront.net name)."
  type        = list(string)
  default     = []
}

variable "cloudfront_certificate_arn" {
  description = "ACM certificate in us-east-1 for the aliases."
  type        = string
  default     = ""
}

variable "image_tag" {
  description = "API image tag for the first task definition (deployments register their own)."
  type        = string
  default     = "latest"
}

variable "app_environment" {
  description = "Extra PLCCOACH_* settings for the tasks (docs/configuration.md)."
  type        = map(string)
  default     = {}
}

variable "alarm_email" {
  type    = string
  default = ""
}

variable "github_repository" {
  description = "owner/name of the repository whose workflows deploy."
  type        = string
}

variable "create_github_oidc_provider" {
  type    = bool
  default = true
}

variable "origin_secret_active" {
  description = "Which of the two CloudFront origin secrets is sent: a or b (docs/operations.md, \"Secrets rotation\")."
  type        = string
  default     = "a"
}
