# The whole of the infrastructure document for one environment, one module
# per section, wired together.  terraform/environments/{production,staging}
# call this with their sizes; see terraform/README.md.

locals {
  name         = var.name
  cluster_name = "${local.name}-cluster"
  service_name = "${local.name}-api-service"
  public_url   = length(var.aliases) > 0 ? "https://${var.aliases[0]}" : "https://${module.cdn.domain_name}"
}

module "network" {
  source            = "../modules/network"
  name              = local.name
  nat_gateway_count = var.nat_gateway_count
}

module "security" {
  source = "../modules/security"
  name   = local.name
  vpc_id = module.network.vpc_id
}

module "storage" {
  source             = "../modules/storage"
  name               = local.name
  s3_kms_key_arn     = module.security.s3_kms_key_arn
  log_retention_days = var.log_retention_days
}

module "secrets" {
  source               = "../modules/secrets"
  name                 = local.name
  secrets_kms_key_arn  = module.security.secrets_kms_key_arn
  origin_secret_active = var.origin_secret_active
}

module "database" {
  source                = "../modules/database"
  name                  = local.name
  instance_class        = var.db_instance_class
  multi_az              = var.db_multi_az
  max_connections       = var.db_max_connections
  private_subnet_ids    = module.network.private_subnet_ids
  rds_security_group_id = module.security.rds_security_group_id
  rds_kms_key_arn       = module.security.rds_kms_key_arn
  db_secret_arn         = module.secrets.db_secret_arn
  db_app_secret_arn     = module.secrets.db_app_secret_arn
  db_migrate_secret_arn = module.secrets.db_migrate_secret_arn
  log_retention_days    = var.log_retention_days
}

module "registry" {
  source      = "../modules/registry"
  name        = local.name
  kms_key_arn = module.security.s3_kms_key_arn
}

module "load_balancer" {
  source                = "../modules/load_balancer"
  name                  = local.name
  vpc_id                = module.network.vpc_id
  public_subnet_ids     = module.network.public_subnet_ids
  alb_security_group_id = module.security.alb_security_group_id
  certificate_arn       = var.alb_certificate_arn
  logs_bucket           = module.storage.logs_bucket
}

module "monitoring" {
  source                 = "../modules/monitoring"
  name                   = local.name
  name_path              = var.log_name
  log_retention_days     = var.log_retention_days
  alarm_email            = var.alarm_email
  alb_arn_suffix         = module.load_balancer.alb_arn_suffix
  db_instance_identifier = module.database.identifier
  cluster_name           = local.cluster_name
  service_name           = local.service_name
}

module "iam" {
  source = "../modules/iam"
  name   = local.name
  secret_arns = [
    module.secrets.db_app_secret_arn,
    module.secrets.db_migrate_secret_arn,
    module.secrets.app_secret_arn,
    module.secrets.origin_secret_arn,
  ]
  master_secret_arn   = module.secrets.db_secret_arn
  secrets_kms_key_arn = module.security.secrets_kms_key_arn
  s3_kms_key_arn      = module.security.s3_kms_key_arn
  content_bucket_arn  = module.storage.content_bucket_arn
  exports_bucket_arn  = module.storage.exports_bucket_arn
}

module "cdn" {
  source                               = "../modules/cdn"
  name                                 = local.name
  frontend_bucket                      = module.storage.frontend_bucket
  frontend_bucket_arn                  = module.storage.frontend_bucket_arn
  frontend_bucket_regional_domain_name = module.storage.frontend_bucket_regional_domain_name
  api_origin_domain                    = var.api_origin_domain
  aliases                              = var.aliases
  certificate_arn                      = var.cloudfront_certificate_arn
  origin_secret                        = module.secrets.origin_secret_value
  logs_bucket_domain_name              = module.storage.logs_bucket_domain_name
}

module "compute" {
  source                        = "../modules/compute"
  name                          = local.name
  repository_url                = module.registry.repository_url
  image_tag                     = var.image_tag
  public_url                    = local.public_url
  app_environment               = var.app_environment
  content_bucket                = module.storage.content_bucket
  exports_bucket                = module.storage.exports_bucket
  desired_count                 = var.desired_count
  min_count                     = var.min_count
  max_count                     = var.max_count
  workers                       = var.workers
  job_workers                   = var.job_workers
  fargate_base                  = var.fargate_base
  fargate_spot_weight           = var.fargate_spot_weight
  execution_role_arn            = module.iam.execution_role_arn
  task_role_arn                 = module.iam.task_role_arn
  admin_execution_role_arn      = module.iam.admin_execution_role_arn
  admin_task_role_arn           = module.iam.admin_task_role_arn
  db_secret_arn                 = module.secrets.db_secret_arn
  db_app_secret_arn             = module.secrets.db_app_secret_arn
  db_migrate_secret_arn         = module.secrets.db_migrate_secret_arn
  origin_secret_arn             = module.secrets.origin_secret_arn
  app_secret_arn                = module.secrets.app_secret_arn
  app_secret_keys               = module.secrets.app_secret_keys
  api_log_group_name            = module.monitoring.api_log_group_name
  application_log_group_name    = module.monitoring.application_log_group_name
  private_subnet_ids            = module.network.private_subnet_ids
  ecs_security_group_id         = module.security.ecs_security_group_id
  target_group_arn              = module.load_balancer.blue_target_group_arn
  blue_target_group_arn_suffix  = module.load_balancer.blue_target_group_arn_suffix
  green_target_group_arn_suffix = module.load_balancer.green_target_group_arn_suffix
  alb_arn_suffix                = module.load_balancer.alb_arn_suffix
  https_listener_arn            = module.load_balancer.https_listener_arn
  alb_subnet_cidrs              = module.network.public_subnet_cidrs
}

module "deployment" {
  source                  = "../modules/deployment"
  name                    = local.name
  deployment_config_name  = var.deployment_config_name
  alarm_names             = module.monitoring.deployment_alarm_names
  cluster_name            = module.compute.cluster_name
  service_name            = module.compute.service_name
  https_listener_arn      = module.load_balancer.https_listener_arn
  blue_target_group_name  = module.load_balancer.blue_target_group_name
  green_target_group_name = module.load_balancer.green_target_group_name
}

module "github_oidc" {
  source                 = "../modules/github_oidc"
  name                   = local.name
  github_repository      = var.github_repository
  github_environment     = var.environment
  create_oidc_provider   = var.create_github_oidc_provider
  ecr_repository_arn     = module.registry.repository_arn
  cluster_name           = module.compute.cluster_name
  service_name           = module.compute.service_name
  pass_role_arns         = [module.iam.execution_role_arn, module.iam.task_role_arn]
  frontend_bucket_arn    = module.storage.frontend_bucket_arn
  distribution_arn       = module.cdn.distribution_arn
  codedeploy_app_name    = module.deployment.codedeploy_app_name
  codedeploy_group_name  = module.deployment.codedeploy_deployment_group_name
  deployment_config_name = var.deployment_config_name
}
