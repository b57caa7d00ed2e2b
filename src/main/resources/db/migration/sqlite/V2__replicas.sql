-- Replicas of deployer serve on one database: who runs each project's queue (a lease its holder
-- renews), which replica runs a deployment, and who is sending a callback.
create table project_leases(project text primary key, owner text not null, until_ms bigint not null);
alter table deployments add column runner text;
alter table callbacks add column claimed_by text;
alter table callbacks add column claim_until bigint;
