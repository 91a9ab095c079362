{# The columns PyAirbyte's cache adds to every stream table: the push models are read back through
   PyAirbyte as a cache's streams and written to destination-yodify. #}
{% macro airbyte_columns(key_expr) -%}
    md5({{ key_expr }}) as _airbyte_raw_id,
    current_timestamp as _airbyte_extracted_at,
    cast('{}' as json) as _airbyte_meta
{%- endmacro %}

{# 0 for the most preferred supplier (var preferred), then 1, ...; suppliers not listed come after, by name #}
{% macro supplier_preference(expr) -%}
    {%- if var('preferred') -%}
    case {{ expr }}
    {%- for s in var('preferred') %} when '{{ s }}' then {{ loop.index0 }}{% endfor %}
    else {{ var('preferred') | length }} end
    {%- else -%}
    0
    {%- endif -%}
{%- endmacro %}

{# A timestamp (UTC) as ISO 8601 text with Z, as the Yodify API takes date-times #}
{% macro iso_utc(expr) -%}
    replace(cast({{ expr }} as {{ dbt.type_string() }}), ' ', 'T') || 'Z'
{%- endmacro %}
