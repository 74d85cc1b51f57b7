EXISTS (SELECT 1 FROM rounds WHERE id = {round}
        AND concerto_round_accepts(status, opens_at, closes_at, {now}))
    AND EXISTS (SELECT 1 FROM responses WHERE id = {response} AND status = '{draft_status}'{hold})
