{{ union_suppliers('order_lines', ['rec_plus', 'vidaxl', 'yodify', 'm3_wholesale']) }}
