using System.Runtime.InteropServices;
using TrackSharp.Tests.NanoTrack;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests;

/// <summary>The memory probe the tracker memory tests rely on must see a real native leak and must not count memory
/// that was freed.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class MemoryGrowthTests(ITestOutputHelper output)
{
    private const int OneMegabyte = 1 << 20;

    /// <summary>
    /// 64 MB leaked per window, one allocation each: above glibc's largest mmap threshold (32 MB), so every leak is fresh
    /// pages and none can reuse resident heap memory that an earlier test freed. The rest of the process moves a window
    /// by up to ~20 MB (in one CI run, after the whole suite, two windows of 2 MB × 10 leaks read +0.3 and +0.0 MB as
    /// the GC returned pages), so the leak is large against that and the bounds are loose; the tracker tests fail above
    /// 8 MB per window.
    /// </summary>
    [Fact]
    public void A_native_leak_raises_the_median_window_far_above_the_trackers_limit()
    {
        var leaked = new List<nint>();
        try
        {
            var growth = MemoryGrowth.Measure(windows: 5, callsPerWindow: 1, _ => leaked.Add(AllocateAndTouch(LeakMegabytes * OneMegabyte)), output);
            Assert.InRange(growth.MedianWindowGrowthMb, LeakMegabytes - 24, LeakMegabytes + 16);
            Assert.InRange(growth.TotalGrowthMb, 5 * LeakMegabytes - 80, 5 * LeakMegabytes + 40);
        }
        finally
        {
            foreach (var p in leaked) Marshal.FreeHGlobal(p);
        }
    }

    private const int LeakMegabytes = 64;

    [Fact]
    public void Memory_freed_in_the_same_call_does_not_count()
    {
        var growth = MemoryGrowth.Measure(windows: 5, callsPerWindow: 10, _ => Marshal.FreeHGlobal(AllocateAndTouch(OneMegabyte)), output);
        Assert.True(growth.MedianWindowGrowthMb < 2, $"median window grew by {growth.MedianWindowGrowthMb:F1} MB");
    }

    /// <summary>Native memory that is resident: every page is written.</summary>
    private static nint AllocateAndTouch(int bytes)
    {
        nint p = Marshal.AllocHGlobal(bytes);
        for (int offset = 0; offset < bytes; offset += 4096) Marshal.WriteByte(p, offset, 1);
        return p;
    }
}
