using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>
/// OSTrack's <c>PatchEmbed</c> (<c>lib/models/layers/patch_embed.py</c>, no norm layer): a stride-P convolution
/// (<c>proj</c>, P = patch size = <c>MODEL.BACKBONE.STRIDE</c>) whose output grid is flattened row-major into
/// tokens, [B, 3, H, W] → [B, (H/P)·(W/P), C] (token t = y·(W/P) + x). Template and search share it.
/// </summary>
public sealed class PatchEmbed : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Conv2d proj;
#pragma warning restore IDE1006

    public PatchEmbed(int patchSize, int embedDim, int inChannels = 3) : base(nameof(PatchEmbed))
    {
        PatchSize = patchSize;
        proj = Conv2d(inChannels, embedDim, patchSize, stride: patchSize, bias: true);
        RegisterComponents();
    }

    public int PatchSize { get; }

    /// <summary>The convolution (<c>proj</c>), for weight loading and initialisation.</summary>
    public Conv2d Projection => proj;

    public override Tensor forward(Tensor images)
    {
        using var y = proj.forward(images);
        return y.flatten(2).transpose(1, 2);
    }
}
