DROP TABLE synthesis_relays;
