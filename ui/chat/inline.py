"""Run a step's value conversions inside its own call, not one thread hop per value.

Gradio converts each input of a step (`preprocess`) and each output (`postprocess`) in a
worker thread of its own, one `anyio.to_thread.run_sync` per value: a save step with the
settings panel's dozen inputs costs the one event loop a dozen thread hand-offs, and every
streamed update of a reply one more. Under a crowd those hand-offs were a quarter of the
event loop's time (py-spy, 100 visitors; docs/benchmarks.md). `inline` turns gradio's
conversions off for a step and does the same ones in the step's own call: a plain function
runs on the loop too, where it and the conversions (microseconds for a chat) cost less than
the hops did: a thread gains nothing for work that holds the GIL. So a plain function given
to `inline` must not wait (on the network, the disk, or another handler) unless `waits=True`.

What is converted as gradio would: the chat and the message box both ways (their values are
models, not plain data), and every other output's plain value. What is passed as given: the
other inputs (a text, a number, a choice: gradio's conversion is the identity, and the
handlers check what they read) and the value inside a props update (`gr.update(value=…)`),
which gradio would convert with the component the update builds (a Slider clamps to its new
range): a step sending such an update for anything but the chat or the box is not inlined.
"""
from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from contextlib import aclosing
from typing import Any

import gradio as gr
from gradio.blocks import Block
from gradio.data_classes import GradioModel, GradioRootModel

# Components whose value is a model that gradio builds from, or turns into, plain data.
_MODELS = (gr.Chatbot, gr.MultimodalTextbox)


def inline(event: dict[str, Any], waits: bool = False) -> dict[str, Any]:
    """Event arguments (`fn`, `inputs`, `outputs`, …) running the same step with its
    conversions done in its own call (`preprocess`/`postprocess` off for gradio). `waits`: a
    plain function that may block (New chat waits for the cancelled reply's end, which needs
    the loop) runs in one worker thread, its conversions with it."""
    fn, inputs, outputs = event["fn"], event.get("inputs"), event.get("outputs")
    convert_in = _input_converter(inputs)
    convert_out = _output_converter(outputs)
    if inspect.isasyncgenfunction(fn):
        @functools.wraps(fn)
        async def step(*args: Any, **kwargs: Any) -> Any:
            async with aclosing(fn(*convert_in(args), **kwargs)) as updates:
                async for update in updates:
                    yield convert_out(update)
    elif inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def step(*args: Any, **kwargs: Any) -> Any:
            return convert_out(await fn(*convert_in(args), **kwargs))
    elif inspect.isgeneratorfunction(fn):
        raise TypeError("inline: a plain generator would hop threads per item anyway")
    elif waits:  # gradio runs a plain function in a worker thread
        @functools.wraps(fn)
        def step(*args: Any, **kwargs: Any) -> Any:
            return convert_out(fn(*convert_in(args), **kwargs))
    else:  # a quick step: on the loop itself (no waiting on the network or disk here)
        @functools.wraps(fn)
        async def step(*args: Any, **kwargs: Any) -> Any:
            return convert_out(fn(*convert_in(args), **kwargs))
    _settle_signature(step, fn)
    return {**event, "fn": step, "preprocess": False, "postprocess": False}


def _settle_signature(step: Callable[..., Any], fn: Callable[..., Any]) -> None:
    """gradio reads a step's signature and type hints on every call (`special_args`, to find
    where the request goes). Read from `fn`'s annotations, which are strings here (`from
    __future__ import annotations`), that compiled each one anew every call: 0.5 ms of the
    event loop a Send. They are worked out once, here."""
    try:
        step.__signature__ = inspect.signature(fn)  # type: ignore[attr-defined]
        step.__annotations__ = typing.get_type_hints(fn)
    except (NameError, TypeError, ValueError):
        pass  # left to gradio, which reads them as before


def _as_list(blocks: Any) -> list[Any]:
    if blocks is None:
        return []
    if isinstance(blocks, (list, tuple, set)):
        return list(blocks)
    return [blocks]


def _input_converter(inputs: Any) -> Callable[[tuple], tuple]:
    """Converts the values gradio hands over: positional (in `inputs`' order) or, for a set of
    inputs, one dict keyed by component. Special arguments (the request) come after them."""
    if isinstance(inputs, set):
        def convert_set(args: tuple) -> tuple:
            values = {block: _preprocess(block, value) for block, value in args[0].items()}
            return (values, *args[1:])
        return convert_set
    blocks = _as_list(inputs)

    def convert(args: tuple) -> tuple:
        converted = [_preprocess(block, value) for block, value in zip(blocks, args)]
        return (*converted, *args[len(converted):])
    return convert


def _preprocess(block: Any, value: Any) -> Any:
    if not isinstance(block, _MODELS) or value is None:
        return value
    model: Any = block.data_model.model_validate(value, context={"validate_meta": True})
    return block.preprocess(model)


def _output_converter(outputs: Any) -> Callable[[Any], Any]:
    blocks = _as_list(outputs)
    if not blocks:
        return lambda value: value
    if len(blocks) == 1:
        return lambda value: _postprocess(blocks[0], value)

    def convert(values: Any) -> Any:
        if isinstance(values, dict):  # {component: value}, some outputs left out
            return {block: _postprocess(block, value) for block, value in values.items()}
        values = list(values)
        if len(values) != len(blocks):
            return values  # gradio reports the mismatch, naming the step
        return [_postprocess(block, value) for block, value in zip(blocks, values)]
    return convert


def _postprocess(block: Any, value: Any) -> Any:
    if getattr(block, "stateful", False) or isinstance(value, Block):
        return value
    if isinstance(value, dict) and "update" in str(value.get("__type__", "")):
        if "value" in value and isinstance(block, _MODELS):
            return {**value, "value": _dumped(block.postprocess(value["value"]))}
        return value
    return _dumped(block.postprocess(value))


def _dumped(value: Any) -> Any:
    return value.model_dump() if isinstance(value, (GradioModel, GradioRootModel)) else value
