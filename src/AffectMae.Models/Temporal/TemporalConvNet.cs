// Paper §3.4: the temporal convolutional network that smooths MAE frame features over time.
// Follows locuslab/TCN, TCN/tcn.py (TemporalConvNet; MIT License, Copyright (c) 2018 CMU Locus Lab), non-causal and masked.
using AffectMae.Core.Options;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// A stack of <see cref="TemporalBlock"/>s (Bai et al. 2018, arXiv:1803.01271) over a window of frame features.
/// Padded frames are zeroed before and after every block, so the valid part of a padded window equals the output of the
/// unpadded window alone. State-dict keys: <c>network.{i}.conv1.*</c>, <c>network.{i}.conv2.*</c>, <c>network.{i}.downsample.*</c>.
/// </summary>
public sealed class TemporalConvNet : Module<Tensor, Tensor?, Tensor>
{
    private readonly ModuleList<TemporalBlock> network;

    private readonly TemporalConvNetOptions options;

    /// <summary>Builds the network; move it to a device with <c>.to(device)</c>.</summary>
    /// <param name="options">Sizes; checked by <see cref="TemporalConvNetOptionsValidator"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message says what to change.</exception>
    public TemporalConvNet(TemporalConvNetOptions options) : base(nameof(TemporalConvNet))
    {
        this.options = options = OptionsValidation.ValidatedCopy(new TemporalConvNetOptionsValidator(), options, nameof(options));
        InputDim = options.InputDim;
        OutputDim = options.Channels[^1];

        network = new ModuleList<TemporalBlock>();
        int inChannels = options.InputDim;
        for (int i = 0; i < options.Channels.Count; i++)
        {
            network.Add(new TemporalBlock(inChannels, options.Channels[i], options.KernelSize, options.DilationOf(i), options.Dropout));
            inChannels = options.Channels[i];
        }
        RegisterComponents();
    }

    /// <summary>The options this module was built with (a copy: changing it changes nothing).</summary>
    public TemporalConvNetOptions Options => OptionsValidation.Copy(options);

    /// <summary>Feature size D of one input frame.</summary>
    public int InputDim { get; }

    /// <summary>Output width C, the last block's channel count.</summary>
    public int OutputDim { get; }

    /// <summary>The element type of the weights.</summary>
    internal ScalarType ComputeType => network[0].ComputeType;

    /// <summary>Runs the TCN over a window.</summary>
    /// <param name="x">Frame features [B, T, D].</param>
    /// <param name="valid">Bool [B, T], true for a real frame; <see langword="null"/> when every frame is real.</param>
    /// <returns>[B, T, C], zero on padded frames.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit; the message says what to change.</exception>
    public override Tensor forward(Tensor x, Tensor? valid)
    {
        SequenceChecks.CheckFrames(x, valid, InputDim, "TemporalConvNetOptions.InputDim");
        using var scope = NewDisposeScope();
        var keep = valid is null                                                // keep = valid as x's dtype  [B, 1, T]
            ? ones(x.shape[0], 1, x.shape[1], dtype: x.dtype, device: x.device)
            : valid.unsqueeze(1).to_type(x.dtype);
        var h = x.transpose(1, 2);                                              // channels first  [B, D, T]
        foreach (var block in network)
            h = block.call(h, keep);                                            // h = block_i(h)  [B, C_i, T]
        return scope.MoveToOuter(h.transpose(1, 2).contiguous());               // back to frames  [B, T, C]
    }
}
