-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d).
-- The image creates POSTGRES_DB (chatforge: the serving database); MLflow gets its own database.
CREATE DATABASE mlflow OWNER chatforge;
