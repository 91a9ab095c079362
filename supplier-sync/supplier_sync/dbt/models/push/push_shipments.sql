{{ config(alias='shipments') }}
-- Supplier shipments onto the store orders they fulfil, for the shipments stream
-- (destination_yodify/schemas/shipments.json): the supplier's order names the store order by its
-- number (customer_reference). client_identifier keeps the write exactly-once across runs; a carrier
-- Yodify does not list is sent as a Custom shipment with its tracking number.
select
    y.order_number,
    y.id as yodify_order_id,
    s.source || '-' || s.shipment_id as client_identifier,
    s.tracking_number,
    s.tracking_url,
    c.slug as carrier,
    case when c.slug is not null then 'Tracked' else 'Custom' end as shipment_type,
    {{ iso_utc('s.shipped_at') }} as shipped_date,
    false as send_email,
    {{ airbyte_columns("s.source || '-' || s.shipment_id") }}
from {{ ref('shipments') }} as s
inner join {{ ref('orders') }} as o on o.source = s.source and o.order_id = s.order_id
inner join {{ source('yodify', 'orders') }} as y on y.order_number = o.customer_reference
left join {{ source('yodify', 'carriers') }} as c on lower(s.carrier) in (lower(c.slug), lower(c.name))
where s.source <> 'yodify'
