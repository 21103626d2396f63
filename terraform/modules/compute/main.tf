# Section 2 of the infrastructure document: the ECS cluster with Container
# Insights and the FARGATE and FARGATE_SPOT capacity providers, the API's
# task definition (0.5 vCPU, 1 GB: nginx and the plccoach-fcgi pool in one
# container, docker/entrypoint.sh), the service behind the ALB deployed
# blue/green by CodeDeploy (../deployment), its autoscaling, and an admin
# task definition for one-off commands (plccoach migrate, user, books ...).

data "aws_region" "current" {}

locals {
  container_name = "api"
  # The database credentials reach libpq as PG* variables (an empty
  # PLCCOACH_DATABASE_URL makes libpq read them), each a key of the JSON
  # secret; the application secret's keys become variables of the same name.
  db_secrets = [
    for env, key in {
      PGHOST     = "host"
      PGPORT     = "port"
      PGUSER     = "username"
      PGPASSWORD = "password"
      PGDATABASE = "dbname"
    } : { name = env, valueFrom = "${var.db_secret_arn}:${key}::" }
  ]
  app_secrets = [
    for key in var.app_secret_keys : { name = key, valueFrom = "${var.app_secret_arn}:${key}::" }
  ]
  environment = [
    for k, v in merge({
      PLCCOACH_PUBLIC_URL       = var.public_url
      PLCCOACH_MIGRATE_ON_START = "true"
      PLCCOACH_DRAIN_TIMEOUT    = "25"
      PLCCOACH_WORKERS          = tostring(var.workers)
      PLCCOACH_LOG_LEVEL        = "info"
      PGSSLMODE                 = "require"
      # Uploaded books go to S3 so any task's job process can ingest them
      # (src/storage); the task role's credentials come from the ECS
      # container credentials endpoint.
      PLCCOACH_STORAGE           = "s3"
      PLCCOACH_S3_CONTENT_BUCKET = var.content_bucket
      PLCCOACH_S3_EXPORTS_BUCKET = var.exports_bucket
      PLCCOACH_S3_REGION         = data.aws_region.current.region
    }, var.app_environment) : { name = k, value = v }
  ]
  # A read-only root filesystem: the entrypoint and nginx write only to
  # these two task-local volumes.
  mount_points = [
    { sourceVolume = "run", containerPath = "/run/plccoach", readOnly = false },
    { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
  ]
}

resource "aws_ecs_cluster" "main" {
  name = "${var.name}-cluster"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  # At least var.fargate_base tasks on regular Fargate; the rest split by
  # weight (staging runs mostly on Spot).
  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = var.fargate_base
    weight            = 1
  }

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = var.fargate_spot_weight
  }
}

resource "aws_ecs_task_definition" "api" {
  family                   = "${var.name}-api-service"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  volume {
    name = "run"
  }

  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = local.container_name
      image                  = "${var.repository_url}:${var.image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      portMappings           = [{ containerPort = 8000, protocol = "tcp" }]
      environment            = local.environment
      secrets                = concat(local.db_secrets, local.app_secrets)
      mountPoints            = local.mount_points
      # SIGTERM, then 30 s (the Fargate maximum is 120): the pool drains
      # in PLCCOACH_DRAIN_TIMEOUT (25 s) and the entrypoint exits before.
      stopTimeout = 30
      # Liveness: nginx and a worker answer; never the database (an
      # outage shared by every task must not get them all replaced).
      # While the entrypoint waits for the database at start-up nginx
      # answers it alone (docs/operations.md, "Health").
      healthCheck = {
        command     = ["CMD-SHELL", "curl -fsS -o /dev/null http://127.0.0.1:8000/health/live || exit 1"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 60
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.api_log_group_name
          awslogs-region        = data.aws_region.current.region
          awslogs-stream-prefix = "api"
        }
      }
    }
  ])
}

# One-off commands: aws ecs run-task --task-definition NAME-admin
# --overrides '{"containerOverrides":[{"name":"admin","command":[...]}]}'
# (docs/operations.md).  Logs go to /application/plccoach.
resource "aws_ecs_task_definition" "admin" {
  family                   = "${var.name}-admin"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name       = "admin"
      image      = "${var.repository_url}:${var.image_tag}"
      essential  = true
      entryPoint = ["/usr/local/bin/plccoach"]
      command    = ["migrate", "--status"]
      environment = [
        for k, v in merge({ PGSSLMODE = "require" }, var.app_environment) : { name = k, value = v }
      ]
      secrets = concat(local.db_secrets, local.app_secrets)
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.application_log_group_name
          awslogs-region        = data.aws_region.current.region
          awslogs-stream-prefix = "admin"
        }
      }
    }
  ])
}

resource "aws_ecs_service" "api" {
  name                              = "${var.name}-api-service"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.api.arn
  desired_count                     = var.desired_count
  platform_version                  = "LATEST"
  health_check_grace_period_seconds = 60
  enable_execute_command            = true
  propagate_tags                    = "SERVICE"

  deployment_controller {
    type = "CODE_DEPLOY"
  }

  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = var.fargate_base
    weight            = 1
  }

  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = var.fargate_spot_weight
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [var.ecs_security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = local.container_name
    container_port   = 8000
  }

  lifecycle {
    # CodeDeploy owns the task definition and the target group in use;
    # autoscaling owns the count.
    ignore_changes = [task_definition, load_balancer, desired_count]
  }

  depends_on = [aws_ecs_cluster_capacity_providers.main]
}

# ---- Autoscaling: on CPU and on ALB requests per target -------------------

resource "aws_appautoscaling_target" "api" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.api.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_count
  max_capacity       = var.max_count
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-api-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  resource_id        = aws_appautoscaling_target.api.resource_id
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = 60
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  name               = "${var.name}-api-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  resource_id        = aws_appautoscaling_target.api.resource_id
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.requests_per_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${var.alb_arn_suffix}/${var.target_group_arn_suffix}"
    }
  }
}
