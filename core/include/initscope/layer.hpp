// Layer kinds: the network is a sequence of layers, each a forward/backward pair with its
// own caches, its slice of the network's flat parameter (and gradient) buffer and the
// tensors its statistics are taken from. A kind is one class in core/src/<kind>_layer.cpp
// plus one row of layer_kinds() (core/src/layer_kinds.cpp); core/README.md has the recipe.
//
// A layer describes its parameter tensors (ParamTensor: name, role, shape, place in the
// flat buffer, the fans its initializer sees, weight decay, default initializer); the
// network lays them out one after another and the run asks them, not the kind, how to
// draw, decay, check and summarize them. A block (x + α·f(x)) is a layer that owns
// sub-layers and lists their tensors as its own; batch normalization's running averages
// are state of the layer, outside the parameter buffer.
#pragma once
#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "initscope/activation.hpp"
#include "initscope/init.hpp"
#include "initscope/params.hpp"
#include "initscope/tensor.hpp"

namespace initscope {

// Scratch the layers share (the matrix products' packed operands), owned by the network
// and sized by reserve() so that steps never allocate.
template <class T>
struct Workspace {
  std::vector<T> pack_a, pack_b;
};

// What a layer is made from: its kind (a name of layer_kinds()), its width (kinds that
// keep their width ignore it), the activation applied to its output, the kind's own
// keys (LayerKindInfo::params, defaults filled in) and, for a dense layer, the forward
// multiplier of the parameterization (z = multiplier·x·W + b; parameterization.hpp).
struct LayerSpec {
  std::string kind = "dense";
  std::size_t units = 1;
  ActivationSpec activation;
  Params params;
  double multiplier = 1;
};

// What a parameter tensor is for. Weights and gains take a layer's `init` key, biases and
// shifts its `biasInit` key.
enum class ParamRole { weight, bias, gain, shift };
const char* param_role_name(ParamRole role);

// One parameter tensor of a layer, as the run sees it.
struct ParamTensor {
  std::string name;        // "W", "b", "gain", "shift"
  ParamRole role = ParamRole::weight;
  Shape shape;             // dense W (fan_in, fan_out); vectors (fan_out)
  std::size_t offset = 0;  // in the network's flat buffers (set by Layer::place)
  Fans fans;               // what its initializer sees (a bias: its layer's fans)
  bool decay = false;      // L2 weight decay applies
  // Its initializer when the layer's key gives none: "" for the config's `init` (weights)
  // or `biasInit` (biases), else an initializer's name (a gain's "ones").
  std::string default_init;
  // The value of a "constant" default initializer (a block's trainable alpha: its initial
  // α); NaN: the row's default value.
  double default_value = std::numeric_limits<double>::quiet_NaN();
  // Whether the layer's `init` / `biasInit` keys apply (false: always its default; a
  // block's norm sub-layer tensors and alpha).
  bool layer_keys = true;

  std::size_t size() const {
    std::size_t n = 1;
    for (std::size_t d : shape) n *= d;
    return n;
  }
  bool takes_init_key() const { return role == ParamRole::weight || role == ParamRole::gain; }
};

// What a layer that keeps running statistics (batchnorm) normalizes with; other kinds
// ignore it. batch: the statistics of the rows it is given (training steps, the
// snapshot's probe batch, LSUV, gradient checks); running: its running averages
// (evaluation: the loss and accuracy of the train and test sets, predictions, the
// decision grid). A forward never changes the running averages: after a kept training
// step the run folds that step's batch statistics into them
// (update_running_statistics), so a probe pass or a refused step leaves them as they were.
enum class LayerMode { batch, running };

template <class T>
class Layer {
 public:
  virtual ~Layer() = default;

  std::size_t fan_in = 0, fan_out = 0;  // columns in and out
  ActivationSpec activation;            // φ of the output (linear: none)
  // Its parameter tensors, one after another in its slice of the network's flat buffers,
  // in the order the kind lists them (dense: W, then b). The kind's constructor lists them
  // from offset 0; place() moves them to the slice the network gives. The buffers
  // themselves are passed to every call: the run swaps them between steps.
  std::vector<ParamTensor> tensors;

  // Values this layer keeps in the parameter buffer.
  std::size_t num_params() const {
    std::size_t n = 0;
    for (const ParamTensor& t : tensors) n += t.size();
    return n;
  }
  // Puts the slice at `offset` of the flat buffers.
  void place(std::size_t offset) {
    for (ParamTensor& t : tensors) t.offset += offset - offset_;
    offset_ = offset;
  }
  std::size_t offset() const { return offset_; }
  // Columns of (rows, ·) caches it keeps, in units of a dense layer's (z, a, dz and
  // scratch per unit): what the run's memory estimate counts. A block counts its
  // sub-layers' and its own.
  virtual std::size_t cache_units() const { return fan_out; }
  // Caches for up to `rows` rows; caches only grow. Grows ws to what the layer needs.
  virtual void reserve(std::size_t rows, Workspace<T>& ws) = 0;

  // x: (rows, fan_in); it must stay alive until backward() has run. Fills the caches and
  // the output a() (rows, fan_out) from the parameters in `params`.
  virtual void forward(const MatrixView<const T>& x, const T* params, Workspace<T>& ws) = 0;
  // grad_out: (rows, fan_out) dL/d(output), or dL/dz of the output's pre-activation when
  // grad_is_logit (a loss fused with the output activation); it may be grad_out_buffer().
  // Overwrites this layer's slice of `grads` and, when dx is not null, writes dL/dx
  // (rows, fan_in) there: the grad_out_buffer() of the layer below, never grad_out.
  virtual void backward(const MatrixView<const T>& grad_out, bool grad_is_logit, const T* params,
                        T* grads, T* dx, Workspace<T>& ws) = 0;
  // Where the layer above writes dL/d(this layer's output), (rows, fan_out): a buffer of
  // this layer's own, the one dz() views (a dense layer's dz cache, turned into dL/dz in
  // place), so that no scratch sits between layers.
  virtual T* grad_out_buffer() = 0;

  // Running statistics (batchnorm; others have none and ignore these calls): the mode of
  // the coming forwards, the fold of the last batch-mode forward's statistics into the
  // running averages, and those averages as state outside the parameter buffer
  // (state_size() values), which the run saves and restores with its parameters.
  virtual void set_mode(LayerMode) {}
  virtual void update_running_statistics() {}
  virtual std::size_t state_size() const { return 0; }
  virtual void get_state(T*) const {}
  virtual void set_state(const T*) {}

  // The tensors the statistics read, from the last forward/backward: (rows, fan_out).
  // Views the kind points at its caches (view_caches), made again only when the row
  // count or the caches change: a step makes none and asks no virtual function for them
  // (the cost of the smallest networks' steps).
  std::size_t rows() const { return rows_; }
  // z: the pre-activation (a normalization layer: the normalized values before gain and
  // shift); a: the output; dz: dL/dz.
  const MatrixView<const T>& z() const { return z_; }
  const MatrixView<const T>& a() const { return a_; }
  const MatrixView<const T>& dz() const { return dz_; }

  // Tensor k inside a flat buffer laid out as the parameters (the parameters, the
  // gradients, a copy of either): as a matrix (a vector as one row of its values), or flat.
  template <class P>
  MatrixView<P> tensor_in(std::size_t k, P* buffer) const {
    const ParamTensor& t = tensors[k];
    return t.shape.size() == 2 ? matrix_view(buffer + t.offset, t.shape[0], t.shape[1])
                               : matrix_view(buffer + t.offset, 1, t.size());
  }
  template <class P>
  VectorView<P> values_in(std::size_t k, P* buffer) const {
    return vector_view(buffer + tensors[k].offset, tensors[k].size());
  }
  // The index of the first tensor with this role, or tensors.size().
  std::size_t find_tensor(ParamRole role) const {
    std::size_t k = 0;
    while (k < tensors.size() && tensors[k].role != role) ++k;
    return k;
  }

 protected:
  // Points z(), a() and dz() at the first `rows` rows of caches of fan_out columns.
  void view_caches(std::size_t rows, const T* z, const T* a, const T* dz) {
    rows_ = rows;
    z_ = matrix_view(z, rows, fan_out);
    a_ = matrix_view(a, rows, fan_out);
    dz_ = matrix_view(dz, rows, fan_out);
  }

 private:
  std::size_t offset_ = 0;
  std::size_t rows_ = 0;
  MatrixView<const T> z_ = no_rows(), a_ = no_rows(), dz_ = no_rows();
  static MatrixView<const T> no_rows() { return matrix_view<const T>(nullptr, 0, 0); }
};

// A row of the table of layer kinds: its name (what a config's `kind` says), a line for
// the page and the docs, the framework classes it matches, which of the common keys it
// takes, its own keys as spec rows, and how to make one.
template <class T>
struct LayerKindInfo {
  std::string name;
  std::string doc;
  std::string keras;    // the Keras 3 class: "Dense"
  std::string pytorch;  // the PyTorch module: "nn.Linear"
  bool units;           // takes `units`; otherwise keeps its input's width
  bool activation;      // takes `activation`; otherwise its output is linear
  bool output;          // may be the output layer (the loss reads its z and a)
  std::vector<ParamSpec> params;  // its own keys ("epsilon"), defaults and ranges
  std::unique_ptr<Layer<T>> (*make)(const LayerSpec& spec, std::size_t fan_in);
};

// THE table, one row per kind, written once for both scalars: float for runs, double for
// gradient checks (a build that never asks for the double table does not carry its code).
template <class T>
const std::vector<LayerKindInfo<T>>& layer_kinds();
template <class T>
const LayerKindInfo<T>* find_layer_kind(const std::string& name);

// A layer of spec.kind reading fan_in columns; nullptr for a kind that is not in the table.
template <class T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& spec, std::size_t fan_in);

// The kinds' names, and the table as the schema reports it (lab.schema().layerKinds).
std::vector<std::string> layer_kind_names();
nlohmann::json layer_kinds_schema();

}  // namespace initscope
