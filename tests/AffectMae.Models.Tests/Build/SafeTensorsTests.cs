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

        load.Should().Throw<InvalidDataException>().WithMessage("*tensor 'z' has dtype \"C64\"; supported: F64, F32*");
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
    /// <summary>Writes a file from a header given as JSON text (or raw bytes) and the data bytes, padding the header to 8 bytes.</summary>
    private string Raw(string name, byte[] header, byte[] data)
    {
        string path = Path.Combine(folder, name);
        int padding = (8 - header.Length % 8) % 8;
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)(header.Length + padding)), .. header, .. Enumerable.Repeat((byte)' ', padding), .. data]);
        return path;
    }

    private string Raw(string name, string header, int dataBytes) => Raw(name, System.Text.Encoding.UTF8.GetBytes(header), new byte[dataBytes]);

    private static void Rejects(string path, string message) =>
        FluentActions.Invoking(() => SafeTensors.Load(path)).Should().Throw<InvalidDataException>().WithMessage($"{path}: {message}");

    [Fact]
    public void Overlapping_data_offsets_are_rejected_naming_the_tensor()
    {
        // a = bytes 0–8, b = bytes 4–12: b's first float would also be a's second.
        string path = Raw("overlap.safetensors", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12);

        Rejects(path, "tensor 'b' has data_offsets [4, 12], overlapping the tensor before it, which ends at 8.");
    }

    [Fact]
    public void Data_offsets_that_leave_a_gap_or_trailing_bytes_are_rejected()
    {
        string gap = Raw("gap.safetensors", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12);
        string tail = Raw("tail.safetensors", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8);

        Rejects(gap, "tensor 'b' has data_offsets [8, 12], leaving bytes 4–8 before it unused.");
        Rejects(tail, "the tensors cover 4 of the 8 data bytes; the rest belongs to no tensor.");
    }

    [Fact]
    public void A_duplicate_key_is_rejected_naming_it()
    {
        string path = Raw("twice.safetensors", """{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", 2);

        Rejects(path, "the header has the key 'w' twice.");
    }

    [Fact]
    public void Negative_and_overflowing_shapes_are_rejected_before_reaching_libtorch()
    {
        // 2^62 × 2 floats of 4 bytes = 2^65 bytes; with a zero dimension libtorch still multiplies the others.
        string negative = Raw("negative.safetensors", """{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}""", 0);
        string overflow = Raw("overflow.safetensors", """{"w":{"dtype":"F32","shape":[4611686018427387904,2],"data_offsets":[0,0]}}""", 0);
        string zero = Raw("zero.safetensors", """{"w":{"dtype":"F32","shape":[0,4611686018427387904,4],"data_offsets":[0,0]}}""", 0);

        Rejects(negative, "tensor 'w' has 'shape' \"-1\" at position 0; expected integers from 0 to 9223372036854775807.");
        Rejects(overflow, "tensor 'w' of shape [4611686018427387904, 2] F32 needs more than 9223372036854775807 bytes.");
        Rejects(zero, "tensor 'w' of shape [0, 4611686018427387904, 4] F32 needs more than 9223372036854775807 bytes.");
    }

    [Fact]
    public void A_structurally_wrong_header_is_rejected_saying_what_is_wrong()
    {
        Rejects(Raw("array.safetensors", "[1,2]", 0), "the header is a JSON array, not an object mapping tensor names to entries.");
        Rejects(Raw("utf8.safetensors", [(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}'], []),
            "the header is not valid UTF-8 (byte 2 of the header).");
        Rejects(Raw("surrogate.safetensors", """{"\ud800":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}""", 0), "a key is not valid Unicode*");
        Rejects(Raw("meta.safetensors", """{"__metadata__":[1]}""", 0), "'__metadata__' is a JSON array; it must be an object of strings.");
        Rejects(Raw("metavalue.safetensors", """{"__metadata__":{"epoch":3}}""", 0), "'__metadata__' entry 'epoch' is a JSON number; metadata values must be strings.");
        Rejects(Raw("entry.safetensors", """{"w":"F32"}""", 0), "tensor 'w' is a JSON string; it must be an object with 'dtype', 'shape' and 'data_offsets'.");
        Rejects(Raw("offsets.safetensors", """{"w":{"dtype":"U8","shape":[1],"data_offsets":[1,0]}}""", 1), "tensor 'w' has data_offsets [1, 0]; expected [begin, end] with begin ≤ end.");
    }

    [Fact]
    public void Control_characters_in_keys_are_escaped_in_messages()
    {
        string path = Raw("escape.safetensors", """{"\u001b[2J":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}""", 8);

        FluentActions.Invoking(() => SafeTensors.Load(path)).Should().Throw<InvalidDataException>()
            .Which.Message.Should().Contain(@"tensor '\u001B[2J' has dtype ""C64""").And.NotContain("\u001b");
    }

    [Fact]
    public void A_link_to_dev_zero_is_refused_before_reading()
    {
        if (!File.Exists("/dev/zero")) return;   // not a Unix system
        string path = Path.Combine(folder, "zero.safetensors");
        File.CreateSymbolicLink(path, "/dev/zero");

        FluentActions.Invoking(() => SafeTensors.Load(path)).Should().Throw<IOException>()
            .WithMessage($"safetensors file '{path}' (a symbolic link to '/dev/zero') is a character device, not a regular file*");
    }

    [Fact]
    public void Integer_weights_are_not_cast_into_a_float_parameter()
    {
        // The issue's case: an I64 tensor loaded into a float32 Linear read as all zeros after the cast.
        using var module = nn.Linear(2, 1);
        using var _ = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor> { ["weight"] = tensor(new long[] { 3, 4 }).reshape(1, 2), ["bias"] = tensor(new float[] { 5 }) };
        using var before = module.weight!.detach().clone();

        var load = () => StateDictLoader.Load(module, tensors, source: "int.safetensors");

        load.Should().Throw<InvalidDataException>().WithMessage(
            "Cannot load int.safetensors into Linear:\n  dtype mismatches (integer and floating-point values are not cast into each other): weight: int.safetensors has Int64, module has Float32");
        module.weight!.eq(before).all().item<bool>().Should().BeTrue("nothing is copied when the load fails");
    }

    [Fact]
    public void A_float16_file_loads_into_a_float32_module()
    {
        using var module = nn.Linear(2, 1);
        using var _ = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor> { ["weight"] = tensor(new float[] { 0.5f, -2 }).reshape(1, 2).to(float16), ["bias"] = tensor(new float[] { 0.25f }).to(bfloat16) };

        StateDictLoader.Load(module, tensors);

        // y = 0.5·2 − 2·1 + 0.25 = −0.75, every value exact in half precision
        module.call(tensor(new float[] { 2, 1 }).reshape(1, 2)).item<float>().Should().Be(-0.75f);
    }

    [Fact]
    public void Non_finite_weights_are_refused_naming_the_key_unless_allowed()
    {
        using var module = nn.Linear(2, 2);
        using var _ = NewDisposeScope();
        var weight = tensor(new float[] { 1, 2, float.NaN, float.PositiveInfinity }).reshape(2, 2);
        var tensors = new Dictionary<string, Tensor> { ["weight"] = weight, ["bias"] = zeros(2) };
        string path = Path.Combine(folder, "nan.safetensors");
        SafeTensors.Save(path, tensors);

        var load = () => StateDictLoader.LoadFile(module, path);

        load.Should().Throw<InvalidDataException>().WithMessage(
            $"Cannot load {path} into Linear:\n  non-finite weights (pass allowNonFinite: true to load them anyway): weight holds 2 (the first, NaN, at [1, 0])");
        StateDictLoader.LoadFile(module, path, allowNonFinite: true);
        module.weight![1, 1].item<float>().Should().Be(float.PositiveInfinity);
    }
}
