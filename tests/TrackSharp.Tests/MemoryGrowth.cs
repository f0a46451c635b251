using Xunit.Abstractions;

namespace TrackSharp.Tests;

/// <summary>Resident-memory growth over a run of calls, measured in equal windows.</summary>
/// <remarks>A leak grows the resident size in every window. The allocator's own growth (a new heap segment, another
/// thread's arena, a larger pool) is a one-off step that lands in a single window: CI once saw a flat 1778 MB for 20
/// TrDiMP calls, a 53 MB step, then flat again. Judging the median window, not the total, tells the two apart: the
/// median stays flat under one or two steps, and a leak raises it by its per-window size.</remarks>
internal sealed class MemoryGrowth
{
    public IReadOnlyList<double> WindowGrowthMb { get; }
    public double TotalGrowthMb { get; }

    /// <summary>The median of the per-window growths (upper median for an even count).</summary>
    public double MedianWindowGrowthMb { get; }

    private MemoryGrowth(IReadOnlyList<double> windowGrowthMb)
    {
        WindowGrowthMb = windowGrowthMb;
        TotalGrowthMb = windowGrowthMb.Sum();
        var sorted = windowGrowthMb.Order().ToArray();
        MedianWindowGrowthMb = sorted[sorted.Length / 2];
    }

    /// <summary>Runs <paramref name="call"/> <paramref name="windows"/> × <paramref name="callsPerWindow"/> times
    /// (the argument is the call's index) and reads the resident size before and after each window.</summary>
    public static MemoryGrowth Measure(int windows, int callsPerWindow, Action<int> call, ITestOutputHelper output)
    {
        if (windows < 3) throw new ArgumentOutOfRangeException(nameof(windows), "a median needs at least three windows");
        var growth = new double[windows];
        long previous = ProcessMemory.ResidentBytes();
        output.WriteLine($"  start: {previous / 1048576.0:F1} MB");
        for (int w = 0; w < windows; w++)
        {
            for (int i = 0; i < callsPerWindow; i++) call(w * callsPerWindow + i);
            long now = ProcessMemory.ResidentBytes();
            growth[w] = (now - previous) / 1048576.0;
            output.WriteLine($"  after {(w + 1) * callsPerWindow}: {now / 1048576.0:F1} MB ({growth[w]:+0.0;-0.0} MB)");
            previous = now;
        }
        var result = new MemoryGrowth(growth);
        output.WriteLine($"total {result.TotalGrowthMb:+0.0;-0.0} MB, median window {result.MedianWindowGrowthMb:+0.0;-0.0} MB " +
                         $"over {windows} windows of {callsPerWindow} calls");
        return result;
    }
}
