"""The peer of `npm run bench`: one epoch of the course model in PyTorch on the CPU.

python3 bench/pytorch-epoch.py DATA_DIR BATCH_SIZE EXAMPLES THREADS

The same model (784-512-10, relu, softmax cross-entropy), the same Adam (lr 0.001, Keras'
epsilon 1e-7), the same Fashion-MNIST files, pixels scaled to 0-1 batch by batch as our engines
do. Prints one JSON line: secondsPerEpoch (scaled to 60,000 examples), samplesPerSecond,
peakRssMb, cpuSecondsPerEpoch, threads.
"""
import gzip
import json
import os
import resource
import sys
import time

import torch

FULL_EPOCH = 60000


def read_idx(path, header):
    with gzip.open(path, "rb") as file:
        return torch.frombuffer(bytearray(file.read()[header:]), dtype=torch.uint8)


def main():
    data_dir, batch_size, examples, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    images = read_idx(os.path.join(data_dir, "train-images-idx3-ubyte.gz"), 16).view(-1, 784)[:examples]
    labels = read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte.gz"), 8).long()[:examples]
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
    loss_function = torch.nn.CrossEntropyLoss()
    cpu_before = time.process_time()
    started = time.perf_counter()
    order = torch.randperm(examples)
    for first in range(0, examples, batch_size):
        indices = order[first:first + batch_size]
        batch = images[indices].float().mul_(1 / 255)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_function(model(batch), labels[indices])
        loss.backward()
        optimizer.step()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    scale = FULL_EPOCH / examples
    print(json.dumps({
        "secondsPerEpoch": seconds * scale,
        "samplesPerSecond": examples / seconds,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6,
        "cpuSecondsPerEpoch": cpu * scale,
        "threads": threads,
        "loss": loss.item(),
    }))


if __name__ == "__main__":
    main()
