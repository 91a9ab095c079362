{{ union_suppliers('orders', ['rec_plus', 'vidaxl', 'yodify', 'm3_wholesale']) }}
