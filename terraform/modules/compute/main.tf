# Section 2 of the infrastructure document: the ECS cluster with Container
# Insights and the FARGATE and FARGATE_SPOT capacity providers, the API's
# task definition (0.5 vCPU, 1 GB: nginx and the plccoach-fcgi pool in one
# container, docker/entrypoint.sh, on a read-only root filesystem), the
# service behind the ALB deployed blue/green by CodeDeploy (../deployment),
# its autoscaling, and an admin task definition for one-off commands and
# for operators' access to the database (plccoach migrate, user, books,
# db-roles; ECS Exec and port forwarding, which a read-only root does not
# allow in the service's tasks).

data "aws_region" "current" {}

locals {
  container_name = "api"
  # Database credentials reach libpq as PG* variables (an empty
  # PLCCOACH_DATABASE_URL makes libpq read them), each a key of a JSON
  # secret: the application role's in the service, the master user's in
  # the admin task; the migration role's as PLCCOACH_MIGRATE_PG* in both.
  # The application secret's keys become variables of the same name.
  pg_keys = {
    PGHOST     = "host"
    PGPORT     = "port"
    PGUSER     = "username"
    PGPASSWORD = "password"
    PGDATABASE = "dbname"
  }
  app_db_secrets    = [for env, key in local.pg_keys : { name = env, valueFrom = "${var.db_app_secret_arn}:${key}::" }]
  master_db_secrets = [for env, key in local.pg_keys : { name = env, valueFrom = "${var.db_secret_arn}:${key}::" }]
  migrate_secrets = [
    { name = "PLCCOACH_MIGRATE_PGUSER", valueFrom = "${var.db_migrate_secret_arn}:username::" },
    { name = "PLCCOACH_MIGRATE_PGPASSWORD", valueFrom = "${var.db_migrate_secret_arn}:password::" },
  ]
  # plccoach db-roles (admin task) sets the application role's password.
  app_role_secrets = [
    { name = "PLCCOACH_APP_PGUSER", valueFrom = "${var.db_app_secret_arn}:username::" },
    { name = "PLCCOACH_APP_PGPASSWORD", valueFrom = "${var.db_app_secret_arn}:password::" },
  ]
  app_secrets = [
    for key in var.app_secret_keys : { name = key, valueFrom = "${var.app_secret_arn}:${key}::" }
  ]
  origin_secret = [{ name = "PLCCOACH_ORIGIN_SECRET", valueFrom = var.origin_secret_arn }]
  # libpq checks RDS's certificate and name against Amazon's bundle, which
  # the image carries (PGSSLROOTCERT, docker/Dockerfile).
  tls_environment = {
    PGSSLMODE     = "verify-full"
    PGSSLROOTCERT = "/etc/plccoach/rds-ca-bundle.pem"
  }
  environment = [
    for k, v in merge(local.tls_environment, {
      PLCCOACH_PUBLIC_URL       = var.public_url
      PLCCOACH_MIGRATE_ON_START = "true"
      PLCCOACH_DB_START_WAIT    = tostring(var.db_start_wait)
      PLCCOACH_DRAIN_TIMEOUT    = "25"
      PLCCOACH_WORKERS          = tostring(var.workers)
      PLCCOACH_JOB_WORKERS      = tostring(var.job_workers)
      PLCCOACH_QUEUE            = tostring(var.queue)
      PLCCOACH_LOG_LEVEL        = "info"
      # The ALB's subnets: the only peers whose viewer address nginx
      # believes, with CloudFront's origin secret (conf/nginx/fargate.conf).
      PLCCOACH_ALB_CIDRS = join(" ", var.alb_subnet_cidrs)
      # Uploaded books go to S3 so any task's job process can ingest them
      # (src/storage), through a scratch file in the /tmp volume; the task
      # role's credentials come from the ECS container credentials
      # endpoint.
      PLCCOACH_STORAGE           = "s3"
      PLCCOACH_SCRATCH_DIR       = "/tmp"
      PLCCOACH_S3_CONTENT_BUCKET = var.content_bucket
      PLCCOACH_S3_EXPORTS_BUCKET = var.exports_bucket
      PLCCOACH_S3_REGION         = data.aws_region.current.region
    }, var.app_environment) : { name = k, value = v }
  ]
  # A read-only root filesystem: the entrypoint and nginx write only to
  # these two task-local volumes, which the image declares (VOLUME, with
  # their owner: docker/Dockerfile).
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
      secrets                = concat(local.app_db_secrets, local.migrate_secrets, local.app_secrets, local.origin_secret)
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

# One-off commands and operators' access (docs/operations.md, "Operator
# access"): aws ecs run-task --task-definition NAME-admin --overrides
# '{"containerOverrides":[{"name":"admin","command":["plccoach",...]}]}',
# or with --enable-execute-command and the command ["sleep","3600"] for an
# ECS Exec shell or a port forward to RDS.  ECS Exec needs a writable root
# filesystem (its agent is mounted and writes into it), which is why this
# task definition, run only by operators, has one and the service's does
# not.  The master user's credentials (PG*) are here for operators; the
# migration role's and the application role's for `plccoach migrate` and
# `plccoach db-roles`.  Logs go to /application/plccoach.
resource "aws_ecs_task_definition" "admin" {
  family                   = "${var.name}-admin"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = var.admin_execution_role_arn
  task_role_arn            = var.admin_task_role_arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name                   = "admin"
      image                  = "${var.repository_url}:${var.image_tag}"
      essential              = true
      readonlyRootFilesystem = false
      # Not the image's entrypoint (the server): the command itself.
      entryPoint = ["/usr/bin/env", "--"]
      command    = ["plccoach", "migrate", "--status"]
      environment = [
        for k, v in merge(local.tls_environment, {
          PLCCOACH_STORAGE           = "s3"
          PLCCOACH_S3_CONTENT_BUCKET = var.content_bucket
          PLCCOACH_S3_EXPORTS_BUCKET = var.exports_bucket
          PLCCOACH_S3_REGION         = data.aws_region.current.region
        }, var.app_environment) : { name = k, value = v }
      ]
      secrets = concat(local.master_db_secrets, local.migrate_secrets, local.app_role_secrets, local.app_secrets)
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

# The service is created only once the HTTPS listener exists: CodeDeploy's
# deployment group names the listener, and a service created before it
# could not be deployed.  (A module's resources can only depend on
# resources of their own module; this one carries the listener's ARN.)
resource "terraform_data" "https_listener" {
  input = var.https_listener_arn
}

resource "aws_ecs_service" "api" {
  name                              = "${var.name}-api-service"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.api.arn
  desired_count                     = var.desired_count
  platform_version                  = "LATEST"
  # Start-up may wait up to PLCCOACH_DB_START_WAIT for the database (a
  # task started during a failover): the ALB's and the container's checks
  # do not count until then.
  health_check_grace_period_seconds = var.db_start_wait
  # No ECS Exec: the root filesystem is read-only (the admin task is the
  # operators' way in).
  enable_execute_command = false
  propagate_tags         = "SERVICE"

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

  depends_on = [aws_ecs_cluster_capacity_providers.main, terraform_data.https_listener]
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

# Requests per task per minute over both target groups: CodeDeploy moves
# the traffic between blue and green at every deployment, and a policy
# watching one of them (ALBRequestCountPerTarget names a single target
# group) would see no requests half of the time and scale in.  The idle
# group's missing data counts as 0.
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

    customized_metric_specification {
      dynamic "metrics" {
        for_each = { blue = var.blue_target_group_arn_suffix, green = var.green_target_group_arn_suffix }

        content {
          id          = metrics.key
          return_data = false

          metric_stat {
            stat = "Sum"

            metric {
              namespace   = "AWS/ApplicationELB"
              metric_name = "RequestCount"

              dimensions {
                name  = "LoadBalancer"
                value = var.alb_arn_suffix
              }

              dimensions {
                name  = "TargetGroup"
                value = metrics.value
              }
            }
          }
        }
      }

      metrics {
        id          = "tasks"
        return_data = false

        metric_stat {
          stat = "Average"

          metric {
            namespace   = "ECS/ContainerInsights"
            metric_name = "RunningTaskCount"

            dimensions {
              name  = "ClusterName"
              value = aws_ecs_cluster.main.name
            }

            dimensions {
              name  = "ServiceName"
              value = aws_ecs_service.api.name
            }
          }
        }
      }

      metrics {
        id          = "per_task"
        label       = "ALB requests per task, both target groups"
        expression  = "(FILL(blue, 0) + FILL(green, 0)) / IF(tasks > 0, tasks, 1)"
        return_data = true
      }
    }
  }
}
