{{ config(alias='unmatched') }}
-- What the push could not place, for the loop's report: store SKUs no supplier item matches, and
-- supplier shipments whose order names no store order.
select
    'sku' as kind,
    k.sku_identifier as item,
    'no supplier product has this code or EAN' as reason
from {{ source('yodify', 'skus') }} as k
where k.id not in (select sku_id from {{ ref('push_sku_matches') }})

union all

select
    'shipment' as kind,
    s.source || '-' || s.shipment_id as item,
    case
        when o.customer_reference is null then 'its order at ' || s.source || ' names no store order'
        else 'no store order is numbered ' || o.customer_reference
    end as reason
from {{ ref('shipments') }} as s
left join {{ ref('orders') }} as o on o.source = s.source and o.order_id = s.order_id
left join {{ source('yodify', 'orders') }} as y on y.order_number = o.customer_reference
where s.source <> 'yodify' and y.id is null
