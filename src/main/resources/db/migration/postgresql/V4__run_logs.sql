-- Each deployment's run log in the database too, when replicas share it: whichever replica runs a
-- deployment copies its log here as it goes, so any replica answers for any deployment's log.
create table run_logs(deployment_id text primary key, text text not null);
