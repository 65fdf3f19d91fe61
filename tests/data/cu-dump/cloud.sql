-- A small hand-written cloud for the cu-dump tests: two nova cells (nova,
-- nova_cell1), nova_api, blazar (Chameleon variant), keystone. Values are
-- chosen so that window filters and trace seconds can be worked out by hand
-- (see tests/cu-dump.sh).
SET SESSION sql_mode = '';
SET NAMES utf8mb4;

INSERT INTO nova.compute_nodes (id, created_at, deleted_at, deleted, host,
  hypervisor_hostname, hypervisor_type, vcpus, memory_mb, local_gb,
  vcpus_used, memory_mb_used, local_gb_used, hypervisor_version, cpu_info,
  cpu_allocation_ratio, uuid) VALUES
 (1, '2023-01-01 00:00:00', NULL, 0, 'cmp-1', 'cmp-1', 'QEMU', 32, 131072, 500,
  0, 0, 0, 1, '{"secret":"cpu"}', 1.5, 'cn-1'),
 (2, '2022-01-01 00:00:00', '2023-01-01 00:00:00', 2, 'cmp-old', 'cmp-old',
  'ironic', 48, 196608, 1000, 0, 0, 0, 1, '{}', NULL, 'cn-2');

INSERT INTO nova.instances (id, uuid, created_at, launched_at, deleted_at,
  terminated_at, deleted, user_id, project_id, host, node, hostname,
  display_name, memory_mb, vcpus, root_gb, ephemeral_gb, vm_state,
  user_data, key_data) VALUES
 (1, 'inst-1', '2024-01-01 10:00:00', '2024-01-01 10:01:00', NULL, NULL, 0,
  'u-alice', 'p-one', 'cmp-1', 'cmp-1', 'vm-one', 'tab	name', 2048, 2, 20, 0,
  'active', 'c2VjcmV0LXVzZXItZGF0YQ==', 'ssh-rsa AAAASECRETKEY'),
 (2, 'inst-2', '2024-01-05 00:00:00', '2024-01-05 00:01:00',
  '2024-01-06 12:00:00', '2024-01-06 12:00:00', 2, 'u-bob', 'p-two', 'cmp-1',
  'cmp-1', 'Zürich-北京', 'line1
line2 back\\slash', 4096, 4, 40, 0, 'deleted', NULL, NULL),
 (3, 'inst-3', '2023-12-01 00:00:00', '2023-12-01 00:01:00',
  '2023-12-15 00:00:00', '2023-12-15 00:00:00', 3, 'u-alice', 'p-one',
  'cmp-1', 'cmp-1', 'old', 'old', 1024, 1, 10, 0, 'deleted', NULL, NULL),
 (4, 'inst-4', '2024-03-01 00:00:00', NULL, NULL, NULL, 0, 'u-bob', 'p-two',
  'cmp-1', 'cmp-1', 'later', 'later', 1024, 1, 10, 0, 'building', NULL, NULL),
 (5, 'inst-5', '0000-00-00 00:00:00', NULL, NULL, NULL, 0, 'u-bob', '',
  NULL, NULL, '', '', 512, 1, 1, 0, 'error', NULL, NULL);

INSERT INTO nova.instance_actions (id, instance_uuid, action, start_time,
  finish_time, message, user_id, project_id, request_id, created_at, deleted)
  VALUES
 (1, 'inst-1', 'create', '2024-01-01 10:00:00', '2024-01-01 10:00:50', NULL,
  'u-alice', 'p-one', 'req-1', '2024-01-01 10:00:00', 0),
 (2, 'inst-1', 'stop', '2024-01-02 08:00:00', '2024-01-02 08:00:11', NULL,
  'u-alice', 'p-one', 'req-2', '2024-01-02 08:00:00', 0),
 (3, 'inst-2', 'create', '2024-01-05 00:00:00', NULL, NULL, 'u-bob', 'p-two',
  'req-3', '2024-01-05 00:00:00', 0),
 (4, 'inst-2', 'delete', '2024-01-06 12:00:00', NULL, NULL, 'u-bob', 'p-two',
  'req-4', '2024-01-06 12:00:00', 0),
 (5, 'inst-3', 'create', '2023-12-01 00:00:00', NULL, NULL, 'u-alice',
  'p-one', 'req-5', '2023-12-01 00:00:00', 0);

INSERT INTO nova.instance_actions_events (id, action_id, event, start_time,
  finish_time, result, host, traceback, details, created_at, deleted) VALUES
 (1, 1, 'compute__do_build_and_run_instance', '2024-01-01 10:00:05',
  '2024-01-01 10:00:50', 'Success', 'cmp-1', NULL, NULL,
  '2024-01-01 10:00:05', 0),
 (2, 2, 'compute_stop_instance', '2024-01-02 08:00:01', '2024-01-02 08:00:11',
  'Success', 'cmp-1', NULL, NULL, '2024-01-02 08:00:01', 0),
 (3, 3, 'compute__do_build_and_run_instance', '2024-01-05 00:00:02',
  '2024-01-05 00:01:02', 'Success', 'cmp-1', NULL, NULL,
  '2024-01-05 00:00:02', 0),
 (4, 4, 'compute_terminate_instance', '2024-01-06 12:00:00', NULL, NULL,
  'cmp-1', 'Traceback: SECRET', NULL, '2024-01-06 12:00:00', 0),
 (5, 5, 'compute__do_build_and_run_instance', '2023-12-01 00:00:10',
  '2023-12-01 00:00:20', 'Success', 'cmp-1', NULL, NULL,
  '2023-12-01 00:00:10', 0);

INSERT INTO nova.instance_extra (instance_uuid, created_at, deleted, flavor)
  VALUES
 ('inst-1', '2024-01-01 10:00:00', 0, '{"cur": {"nova_object.name": "Flavor", "nova_object.namespace": "nova", "nova_object.version": "1.2", "nova_object.data": {"id": 1, "name": "m1.small", "memory_mb": 2048, "vcpus": 2, "root_gb": 20, "ephemeral_gb": 0, "flavorid": "2", "swap": 0, "rxtx_factor": 1.0, "vcpu_weight": 0, "disabled": false, "is_public": true, "extra_specs": {"name": "not-this", "vcpus": 99}, "description": null}, "nova_object.changes": ["name"]}, "old": null, "new": null}'),
 ('inst-2', '2024-01-05 00:00:00', 0, '{"old": {"nova_object.data": {"name": "not-old", "vcpus": 1}}, "cur": {"nova_object.data": {"name": "reservation:res-\\u00e9\\t1", "flavorid": "f-r", "vcpus": 4, "memory_mb": 4096, "root_gb": 40, "ephemeral_gb": 0}}, "new": null}'),
 ('inst-3', '2023-12-01 00:00:00', 0, '{"cur": {"nova_object.data": {"name": "broken", "vcpus": 1,}}}');

INSERT INTO nova_api.request_specs (instance_uuid, created_at, spec) VALUES
 ('inst-1', '2024-01-01 10:00:00', '{"nova_object.name": "RequestSpec", "nova_object.namespace": "nova", "nova_object.version": "1.14", "nova_object.data": {"image": {"nova_object.name": "ImageMeta", "nova_object.data": {"name": "image-name-not-flavor", "size": 1}}, "num_instances": 1, "flavor": {"nova_object.name": "Flavor", "nova_object.data": {"id": 1, "name": "m1.small", "flavorid": "2", "vcpus": 2, "memory_mb": 2048, "root_gb": 20, "ephemeral_gb": 0, "extra_specs": {}}}, "scheduler_hints": {"reservation": ["res-1"], "group": ["g"]}, "project_id": "p-one", "user_id": "u-alice", "instance_uuid": "inst-1"}}'),
 ('inst-2', '2024-01-05 00:00:00', '{"nova_object.data": {"flavor": {"nova_object.data": {"name": "reservation:res-\\u00e9\\t1", "flavorid": "f-r", "vcpus": 4, "memory_mb": 4096, "root_gb": 40, "ephemeral_gb": 0}}, "scheduler_hints": {}}}'),
 ('inst-3', '2023-12-01 00:00:00', 'not json'),
 ('inst-6', '2024-01-03 00:00:00', '{"nova_object.data": {"flavor": {"nova_object.data": {"name": "m1.large", "flavorid": "4", "vcpus": 4, "memory_mb": 4096, "root_gb": 40, "ephemeral_gb": 0}}, "scheduler_hints": {"reservation": "res-plain"}}}');

INSERT INTO nova_api.flavors (id, name, flavorid, memory_mb, vcpus, swap,
  root_gb, ephemeral_gb, disabled, is_public, rxtx_factor, description) VALUES
 (1, 'm1.small', '2', 2048, 2, 0, 20, 0, 0, 1, 1.0, 'small'),
 (2, 'm1.large', '4', 4096, 4, 0, 40, 0, 0, 1, 1.5, NULL);

-- cell 1
INSERT INTO nova_cell1.instances (id, uuid, created_at, deleted, user_id,
  project_id, host, node, hostname, display_name, memory_mb, vcpus, root_gb,
  ephemeral_gb) VALUES
 (1, 'inst-6', '2024-01-03 00:00:00', 0, 'u-carol', 'p-one', 'cmp-3', 'cmp-3',
  'vm-six', 'six', 4096, 4, 40, 0);
INSERT INTO nova_cell1.instance_actions (id, instance_uuid, action,
  start_time, deleted) VALUES (1, 'inst-6', 'create', '2024-01-03 00:00:00', 0);
INSERT INTO nova_cell1.instance_actions_events (id, action_id, event,
  start_time, finish_time, result, host, deleted) VALUES
 (1, 1, 'compute__do_build_and_run_instance', '2024-01-03 00:00:05',
  '2024-01-03 00:00:35', 'Success', 'cmp-3', 0);

-- blazar (Chameleon fork: soft-delete columns, devices)
INSERT INTO blazar.computehosts (id, created_at, vcpus, cpu_info,
  hypervisor_type, hypervisor_version, hypervisor_hostname, memory_mb,
  local_gb, service_name, trust_id, reservable, availability_zone, deleted,
  deleted_at) VALUES
 ('h-1', '2023-01-01 00:00:00', 32, '{}', 'QEMU', 1, 'cmp-1', 131072, 500,
  'cmp-1', 'TRUST-SECRET', 1, 'nova', NULL, NULL),
 ('h-2', '2024-06-01 00:00:00', 32, '{}', 'QEMU', 1, 'cmp-2', 131072, 500,
  'cmp-2', 'TRUST-SECRET', 1, 'nova', NULL, NULL),
 ('h-3', '2023-01-01 00:00:00', 32, '{}', 'QEMU', 1, 'cmp-9', 131072, 500,
  'cmp-9', 'TRUST-SECRET', 1, 'nova', 'h-3', '2023-06-01 00:00:00');
INSERT INTO blazar.leases (id, name, user_id, project_id, start_date,
  end_date, trust_id, status, created_at) VALUES
 ('lease-1', 'my lease', 'u-alice', 'p-one', '2024-01-10 00:00:00',
  '2024-01-12 00:00:00', 'TRUST', 'ACTIVE', '2024-01-09 00:00:00'),
 ('lease-2', 'old lease', 'u-bob', 'p-two', '2023-06-01 00:00:00',
  '2023-06-02 00:00:00', 'TRUST', 'TERMINATED', '2023-05-01 00:00:00');
INSERT INTO blazar.reservations (id, lease_id, resource_id, resource_type,
  status, created_at) VALUES
 ('res-1', 'lease-1', 'chr-1', 'physical:host', 'active',
  '2024-01-09 00:00:00'),
 ('res-2', 'lease-2', 'chr-2', 'physical:host', 'deleted',
  '2023-05-01 00:00:00');
INSERT INTO blazar.computehost_allocations (id, compute_host_id,
  reservation_id, created_at) VALUES
 ('alloc-1', 'h-1', 'res-1', '2024-01-09 00:00:00'),
 ('alloc-2', 'h-1', 'res-2', '2023-05-01 00:00:00');

INSERT INTO keystone.project (id, name, domain_id, parent_id, is_domain,
  enabled, extra, description) VALUES
 ('<<keystone.domain.root>>', '<<keystone.domain.root>>',
  '<<keystone.domain.root>>', NULL, 1, 0, '{}', ''),
 ('default', 'Default', '<<keystone.domain.root>>', NULL, 1, 1, '{}', ''),
 ('p-one', 'Project One', 'default', 'default', 0, 1,
  '{"email": "secret@example.org"}', 'desc');
