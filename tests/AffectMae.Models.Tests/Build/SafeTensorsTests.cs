using AffectMae.Models.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Build;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-st-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Tensors_of_every_supported_dtype_and_the_metadata_round_trip_exactly()
    {
        using var _ = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = tensor(new float[] { 1.5f, -2.25f, 3e-8f, float.MaxValue }).reshape(2, 2),
            ["f16"] = tensor(new float[] { 0.5f, 1024f, -3f }).to(float16),
            ["bf16"] = tensor(new float[] { 0.5f, -7f }).to(bfloat16),
            ["f64"] = tensor(new double[] { Math.PI }),
            ["i64"] = tensor(new long[] { long.MinValue, 0, 42 }),
            ["u8"] = tensor(new byte[] { 0, 255 }),
            ["flag"] = tensor(new[] { true, false, true }),
            ["scalar"] = tensor(3.25f),
        };
        string path = Path.Combine(folder, "all.safetensors");

        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "3" });
        var loaded = SafeTensors.Load(path, out var metadata);

        loaded.Keys.Should().BeEquivalentTo(tensors.Keys);
        foreach (var (name, expected) in tensors)
        {
            loaded[name].dtype.Should().Be(expected.dtype, name);
            loaded[name].shape.Should().Equal(expected.shape, name);
            loaded[name].eq(expected).all().item<bool>().Should().BeTrue(name);
        }
        metadata.Should().Contain("format", "pt").And.Contain("epoch", "3");
    }

    [Fact]
    public void The_file_layout_is_an_8_byte_length_a_json_header_and_raw_little_endian_data()
    {
        // One F32 tensor [2] = {1, 2}: header {"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} padded to 8 bytes,
        // then 00 00 80 3F 00 00 00 40 (1.0f and 2.0f little-endian).
        string path = Path.Combine(folder, "x.safetensors");
        using var x = tensor(new float[] { 1, 2 });

        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["x"] = x });
        byte[] bytes = File.ReadAllBytes(path);

        long headerLength = BitConverter.ToInt64(bytes, 0);
        (headerLength % 8).Should().Be(0);
        System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd()
            .Should().Be("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}");
        bytes[(8 + (int)headerLength)..].Should().Equal(0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40);
    }

    [Fact]
    public void A_truncated_file_is_rejected_naming_the_file_and_the_tensor()
    {
        string path = Path.Combine(folder, "cut.safetensors");
        using var x = zeros(4, 4);
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["weight"] = x });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^8]);

        var load = () => SafeTensors.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage($"{path}: tensor 'weight' has data_offsets [0, 64] outside the 56 data bytes.");
    }

    [Fact]
    public void An_unsupported_dtype_is_rejected_naming_it()
    {
        string path = Path.Combine(folder, "c64.safetensors");
        byte[] header = System.Text.Encoding.UTF8.GetBytes("{\"z\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)header.Length), .. header, .. new byte[8]]);

        var load = () => SafeTensors.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage("*tensor 'z' has dtype 'C64'*");
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_file_intact()
    {
        string path = Path.Combine(folder, "keep.safetensors");
        using var original = ones(3);
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = original });
        using var complex = zeros(2, dtype: complex64);   // safetensors here cannot store complex numbers

        var save = () => SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = complex });

        save.Should().Throw<ArgumentException>();
        SafeTensors.Load(path)["w"].eq(original).all().item<bool>().Should().BeTrue();
        Directory.GetFiles(folder).Should().ContainSingle("no temporary file is left behind");
    }

    [Fact]
    public void Strict_loading_lists_missing_unexpected_and_mismatched_keys_together()
    {
        using var module = nn.Sequential(("0", nn.Linear(3, 2)), ("1", nn.Linear(2, 1)));
        using var _ = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["0.weight"] = zeros(2, 3),
            ["0.bias"] = zeros(5),           // shape mismatch
            ["1.weight"] = zeros(1, 2),      // 1.bias missing
            ["2.weight"] = zeros(1),         // unexpected
        };

        var load = () => StateDictLoader.Load(module, tensors, source: "ckpt.safetensors");

        load.Should().Throw<InvalidDataException>().WithMessage(
            "*missing keys: 1.bias*unexpected keys: 2.weight*shape mismatches: 0.bias: ckpt.safetensors has [5], module has [2]*");
    }

    [Fact]
    public void A_prefix_selects_and_strips_the_keys_of_a_submodule()
    {
        using var module = nn.Linear(2, 1);
        using var _ = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["encoder.weight"] = tensor(new float[] { 3, 4 }).reshape(1, 2),
            ["encoder.bias"] = tensor(new float[] { 5 }),
            ["decoder.weight"] = zeros(7),
        };

        StateDictLoader.Load(module, tensors, prefix: "encoder.");

        // y = 3·1 + 4·1 + 5 = 12
        module.call(ones(1, 2)).item<float>().Should().Be(12f);
    }
}
