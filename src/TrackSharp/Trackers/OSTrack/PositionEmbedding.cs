using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// The position-table surgery of OSTrack's <c>BaseBackbone.finetune_track</c>: the pretrained ViT table
/// [1, start + Gh·Gw, C] (start = 1 cls position) is cut to its patch part, laid out as a [1, C, Gh, Gw] grid and
/// resized with bicubic interpolation (align_corners = False) to the template and search token grids.
/// </summary>
public static class PositionEmbedding
{
    /// <summary>
    /// Resizes the patch part of <paramref name="table"/> [1, start + gridH·gridW, C] to [1, newH·newW, C]
    /// (row-major tokens). The result is contiguous and owned by the caller.
    /// </summary>
    public static Tensor Interpolate(Tensor table, int patchStartIndex, int gridH, int gridW, int newH, int newW)
    {
        if (table.dim() != 3 || table.shape[1] != patchStartIndex + (long)gridH * gridW)
            throw new ArgumentException(
                $"position table [{string.Join(", ", table.shape)}] is not [1, {patchStartIndex} + {gridH}x{gridW}, C]");
        using var scope = NewDisposeScope();
        long b = table.shape[0], c = table.shape[2];
        var grid = table[.., patchStartIndex.., ..].transpose(1, 2).reshape(b, c, gridH, gridW);
        var resized = functional.interpolate(grid, [newH, newW], mode: InterpolationMode.Bicubic, align_corners: false);
        return resized.flatten(2).transpose(1, 2).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Bicubic resize of a patch-embedding kernel [C, 3, P, P] to a new patch size (finetune_track, when
    /// <c>MODEL.BACKBONE.STRIDE</c> differs from the pretrained patch size).
    /// </summary>
    public static Tensor ResizePatchKernel(Tensor weight, int newPatchSize) =>
        functional.interpolate(weight, [newPatchSize, newPatchSize], mode: InterpolationMode.Bicubic, align_corners: false);
}
