using System.Diagnostics;
using TorchSharp;

namespace TrackSharp.Training.Monitoring;

/// <summary>
/// The "max mem" figure of training logs. The references print <c>torch.cuda.max_memory_allocated()</c>; on a
/// CUDA device that is what is reported where the backend exposes it, on CPU (and where it does not) the
/// process's peak resident set size (Linux VmHWM), which includes libtorch's CPU allocations.
/// </summary>
public static class PeakMemory
{
    /// <summary>Peak bytes for training on <paramref name="device"/> (see the class remarks).</summary>
    public static long Bytes(torch.Device? device = null)
    {
        // TorchSharp 0.107 has no binding for the CUDA caching allocator's statistics, so GPU runs also report
        // the host peak; the figure is labelled the same way in the logs.
        _ = device;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
