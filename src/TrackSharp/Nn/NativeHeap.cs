using System.Runtime.InteropServices;

namespace TrackSharp.Nn;

/// <summary>
/// Keeps freed native memory in the process heap instead of handing it back to the kernel.
/// <para>
/// libtorch allocates every CPU tensor with <c>malloc</c>. With glibc's defaults a buffer of more than 128 KiB
/// (a 16x128x128 float map is 1 MiB) is either mmapped and unmapped on every call, or carved from the top of the
/// heap that <c>free</c> trims again; each frame then page-faults its fresh pages back in (measured here: about
/// 1.3 ms of a 5 ms NanoTrack step). Raising the mmap and trim thresholds lets the next frame reuse the same,
/// already mapped memory. The cost is that up to <see cref="TrimThreshold"/> bytes of freed memory may stay
/// resident in the process.
/// </para>
/// <para>
/// The setting is process-wide and only has an effect with glibc; elsewhere it does nothing.
/// </para>
/// </summary>
internal static class NativeHeap
{
    /// <summary>Allocations up to this size come from the heap (glibc's own upper limit for the dynamic threshold).</summary>
    public const int MmapThreshold = 32 << 20;

    /// <summary>Freed memory at the top of the heap is returned to the kernel only beyond this size.</summary>
    public const int TrimThreshold = 64 << 20;

    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>Applies both thresholds (once per process); returns whether the C library accepted them.</summary>
    public static bool RetainFreedMemory() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // Both are needed: setting either one switches off glibc's dynamic adjustment of the other.
            return mallopt(M_MMAP_THRESHOLD, MmapThreshold) == 1 & mallopt(M_TRIM_THRESHOLD, TrimThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
