using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// TrDiMP's encoder: turns the stack of training classification features (images, batch, D, H, W) into the
/// transformer memory (images·H·W, batch, D). All layers are the same module object (the reference's
/// <c>_get_clones</c> does not copy), so one set of weights serves every layer.
/// </summary>
public sealed class TransformerEncoder : Module<Tensor, (Tensor Memory, Tensor Maps)>
{
#pragma warning disable IDE1006
    private readonly ModuleList<TransformerEncoderLayer> layers;
#pragma warning restore IDE1006

    public TransformerEncoder(MultiheadAttention selfAttention, int dModel, int numLayers = 1) : base(nameof(TransformerEncoder))
    {
        var layer = new TransformerEncoderLayer(selfAttention, dModel);
        layers = new ModuleList<TransformerEncoderLayer>();
        for (int i = 0; i < numLayers; i++) layers.Add(layer);
        RegisterComponents();
    }

    /// <summary>src (images, batch, D, H, W) → memory (images·H·W, batch, D) and the same as maps (images·batch, D, H, W).</summary>
    public override (Tensor Memory, Tensor Maps) forward(Tensor src)
    {
        if (src.dim() != 5) throw new ArgumentException($"TrDiMP encoder expects (images, batch, D, H, W), got [{string.Join(", ", src.shape)}]");
        using var scope = NewDisposeScope();
        var shape = src.shape;
        var output = TransformerSequence.FromMaps(src);
        foreach (var layer in layers) output = layer.call(output, shape);
        var maps = TransformerSequence.ToMaps(output, shape[0], shape[1], shape[2], shape[3], shape[4]);
        return (output.MoveToOuterDisposeScope(), maps.MoveToOuterDisposeScope());
    }
}
