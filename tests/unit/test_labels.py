import pandas as pd

from openclosed.labels import checkpoint_date, model_labels


def test_dated_checkpoints_read_as_name_and_month():
    lab = model_labels(pd.Series(["GPT-5.4 Pro", "Claude 3 Opus", "GPT-4 (Jun 2023)", None]),
                       pd.Series(["gpt-5.4-pro-2026-03-05", "claude-3-opus-20240229", "gpt-4-0613", "raw-id"]))
    assert lab.tolist() == ["GPT-5.4 Pro (Mar 2026)", "Claude 3 Opus (Feb 2024)", "GPT-4 (Jun 2023)", "raw-id"]
    assert checkpoint_date("mistral-medium-2505") is None


def test_two_ids_of_one_model_stay_apart_and_readable():
    lab = model_labels(pd.Series(["GPT-5.4 Pro", "GPT-5.4 Pro", "Kimi K2.5", "Kimi K2.5", "Llama 2-70B",
                                  "Llama 2-70B", "Gemma 2 9B", "Gemma 2 9B"]),
                       pd.Series(["gpt-5.4-pro-2026-03-05", "gpt-5.4-pro-2026-03-05-web-app", "kimi-k2.5",
                                  "kimi-k2p5", "Llama-2-70b-hf", "Llama-2-70b-chat-hf", "gemma-2-9b",
                                  "gemma-2-9b-it"]))
    assert lab.tolist() == ["GPT-5.4 Pro (Mar 2026)", "GPT-5.4 Pro (Mar 2026, web app)", "Kimi K2.5",
                            "Kimi K2.5 (entry 2)", "Llama 2-70B", "Llama 2-70B (chat)", "Gemma 2 9B",
                            "Gemma 2 9B (instruct)"]
