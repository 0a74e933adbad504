DROP TABLE guest_verdicts;
