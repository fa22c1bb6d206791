// The temporal convolutional network of the authors' released model (upczww/abaw6, no licence: facts only, our own
// code), in the layout of locuslab/TCN, TCN/tcn.py TemporalConvNet (MIT License, Copyright (c) 2018 CMU Locus Lab).
using AffectMae.Core.Options;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// A stack of <see cref="CausalTemporalBlock"/>s over a window of frame features, block i dilated by 2^i by default.
/// Causal: output frame t reads input frames ≤ t only, so padding at the end of a window (as
/// <see cref="Core.Segmentation.VideoSegmenter"/> adds it) never reaches the real frames and needs no mask.
/// State-dict keys: <c>network.{i}.*</c>. Compare <see cref="TemporalConvNet"/>, our default: non-causal and masked.
/// </summary>
public sealed class CausalTemporalConvNet : Module<Tensor, Tensor>
{
    private readonly ModuleList<CausalTemporalBlock> network;
    private readonly CausalTemporalConvNetOptions options;

    /// <summary>Builds the network; move it to a device with <c>.to(device)</c>.</summary>
    /// <param name="options">Sizes, copied; checked by <see cref="CausalTemporalConvNetOptionsValidator"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message says what to change.</exception>
    public CausalTemporalConvNet(CausalTemporalConvNetOptions options) : base(nameof(CausalTemporalConvNet))
    {
        OptionsValidation.ThrowIfInvalid(new CausalTemporalConvNetOptionsValidator(), options, nameof(options));
        this.options = OptionsValidation.Copy(options);

        network = new ModuleList<CausalTemporalBlock>();
        int inChannels = options.InputDim;
        for (int i = 0; i < options.Channels.Count; i++)
        {
            network.Add(new CausalTemporalBlock(inChannels, options.Channels[i], options.KernelSize, options.DilationOf(i), options.Dropout));
            inChannels = options.Channels[i];
        }
        RegisterComponents();
    }

    /// <summary>A copy of the sizes this network was built with.</summary>
    public CausalTemporalConvNetOptions Options => OptionsValidation.Copy(options);

    /// <summary>Feature size D of one input frame.</summary>
    public int InputDim => options.InputDim;

    /// <summary>Output width C, the last block's channel count.</summary>
    public int OutputDim => options.Channels[^1];

    /// <summary>Runs the TCN over a window.</summary>
    /// <param name="x">Frame features [B, T, D].</param>
    /// <returns>[B, T, C].</returns>
    /// <exception cref="ArgumentException">x is not [B, T, D].</exception>
    public override Tensor forward(Tensor x)
    {
        SequenceChecks.CheckFrames(x, null, InputDim, "CausalTemporalConvNetOptions.InputDim");
        using var scope = NewDisposeScope();
        var h = x.transpose(1, 2);                                              // channels first  [B, D, T]
        foreach (var block in network)
            h = block.call(h);                                                  // h = block_i(h)  [B, C_i, T]
        return scope.MoveToOuter(h.transpose(1, 2));                            // back to frames  [B, T, C]
    }
}
