{# Timestamps in UTC, as naive `timestamp` values: the same SQL on DuckDB (ICU) and Postgres. #}

{# a value that carries its offset (`...Z`, `...+01:00`) #}
{% macro utc(expr) -%}
    (cast({{ expr }} as timestamptz) at time zone 'UTC')
{%- endmacro %}

{# a wall-clock value without offset, in the supplier's time zone `tz` #}
{% macro utc_from_local(expr, tz) -%}
    ((cast({{ expr }} as timestamp) at time zone '{{ tz }}') at time zone 'UTC')
{%- endmacro %}
