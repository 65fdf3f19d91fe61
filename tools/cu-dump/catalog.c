/* The tables cu-dump reads and the columns of each: the documented
 * contract (cu-dump(1)). */
#include "config.h"

#include "cu-dump.h"

static const char *const instances_cols[] = {
    "uuid", "created_at", "updated_at", "deleted_at", "deleted",
    "launched_at", "terminated_at", "user_id", "project_id", "host", "node",
    "hostname", "display_name", "vm_state", "power_state", "task_state",
    "memory_mb", "vcpus", "root_gb", "ephemeral_gb", "instance_type_id",
    "availability_zone", NULL};

static const char *const instance_actions_cols[] = {
    "id", "instance_uuid", "action", "start_time", "finish_time", "message",
    "user_id", "project_id", "created_at", "updated_at", "deleted_at",
    "deleted", NULL};

static const char *const instance_actions_events_cols[] = {
    "id", "action_id", "event", "start_time", "finish_time", "result", "host",
    "created_at", "updated_at", "deleted_at", "deleted", NULL};

static const char *const compute_nodes_cols[] = {
    "id", "uuid?", "created_at", "updated_at", "deleted_at", "deleted",
    "host", "hypervisor_hostname", "hypervisor_type", "vcpus", "memory_mb",
    "local_gb", "cpu_allocation_ratio?", "ram_allocation_ratio?",
    "disk_allocation_ratio?", NULL};

static const char *const instance_extra_cols[] = {
    "instance_uuid", "created_at", "updated_at", "deleted_at", "deleted",
    NULL};

static const char *const request_specs_cols[] = {
    "instance_uuid", "created_at", "updated_at", NULL};

static const char *const flavors_cols[] = {
    "id", "flavorid", "name", "created_at", "updated_at", "vcpus",
    "memory_mb", "root_gb", "ephemeral_gb", "swap", "disabled", "is_public",
    NULL};

static const char *const leases_cols[] = {
    "id", "user_id", "project_id", "start_date", "end_date", "status",
    "degraded?", "created_at", "updated_at", "deleted?", "deleted_at?", NULL};

static const char *const reservations_cols[] = {
    "id", "lease_id", "resource_id", "resource_type", "status",
    "missing_resources?", "resources_changed?", "created_at", "updated_at",
    "deleted?", "deleted_at?", NULL};

static const char *const computehosts_cols[] = {
    "id", "hypervisor_hostname", "service_name", "vcpus", "memory_mb",
    "local_gb", "hypervisor_type", "availability_zone", "reservable",
    "disabled?", "status?", "created_at", "updated_at", "deleted?",
    "deleted_at?", NULL};

static const char *const computehost_allocations_cols[] = {
    "id", "compute_host_id", "reservation_id", "created_at", "updated_at",
    "deleted?", "deleted_at?", NULL};

static const char *const instance_reservations_cols[] = {
    "id", "reservation_id", "vcpus", "memory_mb", "disk_gb", "amount",
    "affinity", "flavor_id", "aggregate_id", "created_at", "updated_at",
    "deleted?", "deleted_at?", NULL};

static const char *const devices_cols[] = {
    "id", "name", "device_type", "device_driver", "reservable", "created_at",
    "updated_at", "deleted?", "deleted_at?", NULL};

static const char *const device_allocations_cols[] = {
    "id", "device_id", "reservation_id", "created_at", "updated_at",
    "deleted?", "deleted_at?", NULL};

static const char *const device_reservations_cols[] = {
    "id", "reservation_id", "count_range?", "before_end?", "created_at",
    "updated_at", "deleted?", "deleted_at?", NULL};

static const char *const flavor_extra_specs_cols[] = {
    "flavor_id", "key", "value", NULL};

static const char *const local_user_cols[] = {"user_id", "domain_id", "name",
                                              NULL};

static const char *const project_cols[] = {
    "id", "name", "domain_id", "parent_id", "is_domain", "enabled", NULL};

static const char *const container_cols[] = {
    "uuid", "created_at", "updated_at", "started_at?", "project_id",
    "user_id", "host", "cpu", "memory", "disk?", "status", "task_state",
    "container_type?", NULL};

static const char *const container_actions_cols[] = {
    "id", "container_uuid", "action", "start_time", "finish_time", "message",
    NULL};

static const char *const container_actions_events_cols[] = {
    "action_id", "event", "start_time", "finish_time", "result", NULL};

const struct derived request_specs_derived[] = {
    {"flavor_name", "flavor.name"},
    {"flavor_flavorid", "flavor.flavorid"},
    {"vcpus", "flavor.vcpus"},
    {"memory_mb", "flavor.memory_mb"},
    {"root_gb", "flavor.root_gb"},
    {"ephemeral_gb", "flavor.ephemeral_gb"},
    {"reservation", "scheduler_hints.reservation"},
    {NULL, NULL}};

static const struct derived instance_extra_derived[] = {
    {"flavor_name", "cur.name"},
    {"flavor_flavorid", "cur.flavorid"},
    {"vcpus", "cur.vcpus"},
    {"memory_mb", "cur.memory_mb"},
    {"root_gb", "cur.root_gb"},
    {"ephemeral_gb", "cur.ephemeral_gb"},
    {NULL, NULL}};

const struct tablespec catalog[] = {
    {R_NOVA, "instances", false, instances_cols, F_INSTANCE, NULL, NULL},
    {R_NOVA, "instance_actions", false, instance_actions_cols, F_BY_INSTANCE,
     NULL, NULL},
    {R_NOVA, "instance_actions_events", false, instance_actions_events_cols,
     F_BY_ACTION, NULL, NULL},
    {R_NOVA, "compute_nodes", false, compute_nodes_cols, F_EXISTS, NULL, NULL},
    /* rows nova-manage db archive_deleted_rows moved out of the tables
       above (absent where nova has no shadow tables): all of them, since
       they are history and few once purged */
    {R_NOVA, "shadow_instances", true, instances_cols, F_NONE, NULL, NULL},
    {R_NOVA, "shadow_instance_actions", true, instance_actions_cols, F_NONE,
     NULL, NULL},
    {R_NOVA, "shadow_instance_actions_events", true,
     instance_actions_events_cols, F_NONE, NULL, NULL},
    {R_NOVA, "shadow_instance_extra", true, instance_extra_cols, F_NONE,
     "flavor", instance_extra_derived},
    {R_NOVA, "instance_extra", false, instance_extra_cols, F_BY_INSTANCE,
     "flavor", instance_extra_derived},
    {R_NOVA_API, "request_specs", false, request_specs_cols,
     F_BY_CELL_INSTANCE, "spec", request_specs_derived},
    {R_NOVA_API, "flavors", false, flavors_cols, F_NONE, NULL, NULL},
    {R_NOVA_API, "flavor_extra_specs", false, flavor_extra_specs_cols,
     F_GPU_KEYS, NULL, NULL},
    {R_BLAZAR, "leases", false, leases_cols, F_LEASE, NULL, NULL},
    {R_BLAZAR, "reservations", false, reservations_cols, F_BY_LEASE, NULL,
     NULL},
    {R_BLAZAR, "computehosts", false, computehosts_cols, F_EXISTS, NULL, NULL},
    {R_BLAZAR, "computehost_allocations", false, computehost_allocations_cols,
     F_BY_RESERVATION, NULL, NULL},
    {R_BLAZAR, "instance_reservations", false, instance_reservations_cols,
     F_BY_RESERVATION, NULL, NULL},
    {R_BLAZAR, "devices", true, devices_cols, F_EXISTS, NULL, NULL},
    {R_BLAZAR, "device_allocations", true, device_allocations_cols,
     F_BY_RESERVATION, NULL, NULL},
    {R_BLAZAR, "device_reservations", true, device_reservations_cols,
     F_BY_RESERVATION, NULL, NULL},
    {R_ZUN, "container", true, container_cols, F_CREATED, NULL, NULL},
    /* few rows (edge devices), and hard-deleted with their container: all */
    {R_ZUN, "container_actions", true, container_actions_cols, F_NONE, NULL,
     NULL},
    {R_ZUN, "container_actions_events", true, container_actions_events_cols,
     F_NONE, NULL, NULL},
    {R_KEYSTONE, "project", false, project_cols, F_NONE, NULL, NULL},
    {R_KEYSTONE, "local_user", false, local_user_cols, F_NONE, NULL, NULL},
};

/* Trace mode reads these columns (and grants exactly these). */
const char *const trace_instances_cols[] = {
    "uuid", "hostname", "user_id", "project_id", "host", "memory_mb",
    "root_gb", "vcpus", NULL};

const char *const trace_actions_cols[] = {"id", "instance_uuid", NULL};

const char *const trace_events_cols[] = {
    "id", "action_id", "event", "start_time", "finish_time", "result", NULL};

const char *const trace_header[] = {
    "instance_uuid", "event", "start_time", "start_sec", "finish_time",
    "finish_sec", "duration", "result", "instance_name", "user_id",
    "project_id", "host", "memory_mb", "root_gb", "vcpus"};

/* The header of the CSV traces Chameleon published (Star Compactor). */
const char *const starcompactor_header[] = {
    "INSTANCE_UUID", "EVENT", "START_TIME", "START_SEC", "FINISH_TIME",
    "FINISH_SEC", "EVENT_DURATION", "RESULT", "MEMORY_MB", "DISK_GB", "VCPUS",
    "INSTANCE_NAME", "USER_ID", "PROJECT_ID", "HOST_NAME (PHYSICAL)"};
