// Layer kinds: the network is a sequence of layers, each a forward/backward pair with its
// own caches, its slice of the network's flat parameter (and gradient) buffer and the
// tensors its statistics are taken from. A kind is one class in core/src/<kind>_layer.cpp
// plus one row of layer_kinds() (core/src/layer_kinds.cpp); core/README.md has the recipe.
//
// What the interface leaves room for: a block (x + α·f(x)) is a layer that owns sub-layers,
// gives them consecutive parts of its slice and keeps its width; a normalization layer
// has gain and bias parameters (its weight and bias slices) and, for batch normalization,
// running state outside the parameter buffer and a training/evaluation mode.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "initscope/activation.hpp"
#include "initscope/tensor.hpp"

namespace initscope {

// Scratch the layers share (the matrix products' packed operands), owned by the network
// and sized by reserve() so that steps never allocate.
template <class T>
struct Workspace {
  std::vector<T> pack_a, pack_b;
};

// What a layer is made from: its kind (a name of layer_kinds()), its width and the
// activation applied to its output.
struct LayerSpec {
  std::string kind = "dense";
  std::size_t units = 1;
  ActivationSpec activation;
};

template <class T>
class Layer {
 public:
  virtual ~Layer() = default;

  std::size_t fan_in = 0, fan_out = 0;  // columns in and out
  ActivationSpec activation;            // φ of the output (linear: none)
  // Its weights (fan_in, fan_out) and biases (fan_out) in the network's flat buffers (a
  // normalization layer's gain and bias take these places). Set by the network. The
  // buffers themselves are passed to every call: the run swaps them between steps.
  std::size_t w_offset = 0, b_offset = 0;

  // Values this layer keeps in the parameter buffer, weights then biases.
  virtual std::size_t num_params() const = 0;
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

  // The tensors the statistics read, from the last forward/backward: (rows, fan_out).
  // Views the kind points at its caches (view_caches), made again only when the row
  // count or the caches change: a step makes none and asks no virtual function for them
  // (the cost of the smallest networks' steps).
  std::size_t rows() const { return rows_; }
  const MatrixView<const T>& z() const { return z_; }    // pre-activation
  const MatrixView<const T>& a() const { return a_; }    // output
  const MatrixView<const T>& dz() const { return dz_; }  // dL/dz, back-propagated

  // This layer's W and b inside a flat buffer laid out as the parameters (the parameters,
  // the gradients, a copy of either).
  template <class P>
  MatrixView<P> weights_in(P* buffer) const {
    return matrix_view(buffer + w_offset, fan_in, fan_out);
  }
  template <class P>
  VectorView<P> biases_in(P* buffer) const {
    return vector_view(buffer + b_offset, fan_out);
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
  std::size_t rows_ = 0;
  MatrixView<const T> z_ = no_rows(), a_ = no_rows(), dz_ = no_rows();
  static MatrixView<const T> no_rows() { return matrix_view<const T>(nullptr, 0, 0); }
};

// A row of the table of layer kinds: its name (what a config will say), a line for the
// page and the docs, and how to make one.
template <class T>
struct LayerKindInfo {
  std::string name;
  std::string doc;
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

}  // namespace initscope
