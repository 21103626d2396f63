variable "name" {
  description = "Name prefix: NAME-cluster, NAME-api-service."
  type        = string
}

variable "repository_url" {
  description = "The ECR repository of the API image."
  type        = string
}

variable "image_tag" {
  description = "The image tag of the first task definition; deployments register their own revisions."
  type        = string
}

variable "public_url" {
  description = "PLCCOACH_PUBLIC_URL: the origin browsers use (CloudFront's or the custom domain)."
  type        = string
}

variable "workers" {
  description = "PLCCOACH_WORKERS: FastCGI workers per task (each holds one database connection; a streamed answer holds its worker for its whole length)."
  type        = number
  default     = 4
}

variable "job_workers" {
  description = "PLCCOACH_JOB_WORKERS: job processes per task (each holds one database connection, two while it ingests a book)."
  type        = number
  default     = 1
}

variable "queue" {
  description = "PLCCOACH_QUEUE: requests nginx lets wait for a worker when every worker is busy; one more is answered 503 server_busy with Retry-After."
  type        = number
  default     = 4
}

variable "content_bucket" {
  description = "PLCCOACH_S3_CONTENT_BUCKET: the bucket of uploaded books (../storage)."
  type        = string
}

variable "exports_bucket" {
  description = "PLCCOACH_S3_EXPORTS_BUCKET: the bucket of generated files (../storage)."
  type        = string
}

variable "app_environment" {
  description = "More environment variables for the application (PLCCOACH_EMBEDDINGS, PLCCOACH_LLM_MODEL, OIDC client ids ...)."
  type        = map(string)
  default     = {}
}

variable "desired_count" {
  description = "Tasks at creation (autoscaling takes over)."
  type        = number
}

variable "min_count" {
  description = "Autoscaling floor."
  type        = number
}

variable "max_count" {
  description = "Autoscaling ceiling."
  type        = number
}

variable "requests_per_target" {
  description = "Target of ALBRequestCountPerTarget (requests per task per minute)."
  type        = number
  default     = 1000
}

variable "fargate_base" {
  description = "Tasks always on regular (not Spot) Fargate."
  type        = number
}

variable "fargate_spot_weight" {
  description = "FARGATE_SPOT's weight beside FARGATE's 1 for tasks above the base."
  type        = number
}

variable "execution_role_arn" {
  type = string
}

variable "task_role_arn" {
  type = string
}

variable "db_secret_arn" {
  description = "The master user's credentials: the admin task's only."
  type        = string
}

variable "app_secret_arn" {
  type = string
}

variable "app_secret_keys" {
  type = list(string)
}

variable "api_log_group_name" {
  type = string
}

variable "application_log_group_name" {
  type = string
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "ecs_security_group_id" {
  type = string
}

variable "target_group_arn" {
  description = "The blue (initial) target group."
  type        = string
}

variable "blue_target_group_arn_suffix" {
  type = string
}

variable "green_target_group_arn_suffix" {
  type = string
}

variable "https_listener_arn" {
  description = "The ALB's HTTPS listener: the service is created after it."
  type        = string
}

variable "alb_subnet_cidrs" {
  description = "The ALB's subnets (PLCCOACH_ALB_CIDRS): the peers whose viewer address nginx believes."
  type        = list(string)
}

variable "db_start_wait" {
  description = "Seconds a starting task waits for the database (PLCCOACH_DB_START_WAIT), and the service's health check grace period."
  type        = number
  default     = 300
}

variable "db_app_secret_arn" {
  description = "The application role's credentials (the service's PG*)."
  type        = string
}

variable "db_migrate_secret_arn" {
  description = "The migration role's credentials (PLCCOACH_MIGRATE_PG*)."
  type        = string
}

variable "origin_secret_arn" {
  description = "CloudFront's origin secret (PLCCOACH_ORIGIN_SECRET)."
  type        = string
}

variable "admin_execution_role_arn" {
  type = string
}

variable "admin_task_role_arn" {
  type = string
}

variable "alb_arn_suffix" {
  type = string
}
