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

    [Fact]
    public void A_native_leak_of_two_megabytes_per_call_raises_the_median_window_above_the_trackers_limit()
    {
        var leaked = new List<nint>();
        try
        {
            var growth = MemoryGrowth.Measure(windows: 5, callsPerWindow: 10, _ => leaked.Add(AllocateAndTouch(2 * OneMegabyte)), output);
            // 20 MB leaked per window; this machine reads 16-20 MB (the kernel's resident count is approximate and the
            // GC returns pages on its own), so the bounds are loose. The tracker tests fail above 8 MB per window.
            Assert.InRange(growth.MedianWindowGrowthMb, 12, 30);
            Assert.InRange(growth.TotalGrowthMb, 60, 130);
        }
        finally
        {
            foreach (var p in leaked) Marshal.FreeHGlobal(p);
        }
    }

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
