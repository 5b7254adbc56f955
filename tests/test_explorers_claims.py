"""What book/explorers.md says PyTorch does with a transposed convolution whose output size is 0, checked
against PyTorch itself. No browser needed, so it runs with the package's tests; tests/browser/test_explorers.py
drives the explorers themselves and compares what they show with the package."""

import itertools

import pytest
import torch
import torch.nn.functional as F


# torch.backends.mkldnn.flags() warns on every CPU build that it has no Intel GPU support (torch 2.13).
@pytest.mark.filterwarnings("ignore:TF32 acceleration on top of oneDNN:UserWarning")
def test_the_no_output_text_matches_pytorch():
    """What explorers.js says of an output of size 0, run over every setting of the explorer's controls
    (n <= 6, k <= 5, s <= 4, p <= 6, d <= 3, a <= 3): float64 and 1-D refuse it always; for one float32 image
    PyTorch refuses it whenever k <= 3 and for a few larger kernels and returns an empty 0x0 tensor for the others,
    and only through oneDNN (with oneDNN off it refuses them all); a negative size is refused in every case.
    Also the counts book/explorers.md quotes for a batch of two float32 images. No browser needed."""
    outcome = {"float64": set(), "float32": set(), "float32, no oneDNN": set(), "1-D": set()}
    batch_of_two = {1: [], 2: []}   # thread count -> outcomes of the size-0 settings

    def run(dtype, two_d, config, batch=1):
        i, k, s, p, d, op = config
        shape = (batch, 1, i, i) if two_d else (batch, 1, i)
        operator = F.conv_transpose2d if two_d else F.conv_transpose1d
        try:
            y = operator(torch.zeros(shape, dtype=dtype), torch.zeros((1, 1) + (k,) * (len(shape) - 2), dtype=dtype),
                         stride=s, padding=p, output_padding=op, dilation=d)
        except RuntimeError:
            return "refused"
        return "empty" if y.numel() == 0 else "output"

    for config in itertools.product(range(1, 7), range(1, 6), range(1, 5), range(0, 7), range(1, 4), range(0, 4)):
        i, k, s, p, d, op = config
        if op >= max(s, d) or (i - 1) * s - 2 * p + d * (k - 1) + op + 1 > 0:
            continue
        zero = (i - 1) * s - 2 * p + d * (k - 1) + op + 1 == 0
        outcome["float64"].add((zero, run(torch.float64, True, config)))
        outcome["1-D"].add((zero, run(torch.float32, False, config)))
        outcome["float32"].add((zero, run(torch.float32, True, config), config))
        with torch.backends.mkldnn.flags(enabled=False):
            outcome["float32, no oneDNN"].add((zero, run(torch.float32, True, config)))
        if zero:
            threads = torch.get_num_threads()
            try:
                for n_threads, results in batch_of_two.items():
                    torch.set_num_threads(n_threads)
                    results.append(run(torch.float32, True, config, batch=2))
            finally:
                torch.set_num_threads(threads)
    assert outcome["float64"] == outcome["1-D"] == outcome["float32, no oneDNN"] == {(True, "refused"), (False, "refused")}
    zeros = [result for zero, result, _ in outcome["float32"] if zero]
    assert {result for zero, result, _ in outcome["float32"] if not zero} == {"refused"}
    assert set(zeros) == {"refused", "empty"} and zeros.count("refused") > zeros.count("empty") > 0, (
        zeros.count("refused"), zeros.count("empty"))   # "most settings" refuse, "the others" return an empty tensor
    assert (len(zeros), zeros.count("empty")) == (264, 61)   # the counts book/explorers.md quotes
    empty_kernels = [config[1] for zero, result, config in outcome["float32"] if zero and result == "empty"]
    refused_large = [config[1] for zero, result, config in outcome["float32"] if zero and result == "refused" and config[1] > 3]
    assert min(empty_kernels) >= 4 and len(refused_large) == 8   # "whenever the kernel is at most 3x3 and for a few larger ones"
    # "for a batch of two images it is most of them": the exact count depends on the thread count (and on the
    # CPU), so the page quotes the machine it was checked on, and this checks the statement itself.
    empty_in_batch = {n: results.count("empty") for n, results in batch_of_two.items()}
    assert all(len(zeros) / 2 < empty <= len(zeros) for empty in empty_in_batch.values()), empty_in_batch
    print(f"output size 0: {len(zeros)} settings; float32 refuses {zeros.count('refused')}, "
          f"returns an empty tensor for {zeros.count('empty')}")
