{{ union_suppliers('shipments', ['vidaxl', 'yodify', 'm3_wholesale']) }}
