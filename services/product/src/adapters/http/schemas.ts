import { CategoryCreated, Money, ProductCreated } from '@msa/contracts';
import { z } from 'zod';

// Field formats come from the event contracts, so a request the API accepts is an event the contract accepts.
const { sku, name, description, categoryId, price } = ProductCreated.payload.shape;
const categoryName = CategoryCreated.payload.shape.name;

/** `POST /api/products` */
export const CreateProductRequest = z
  .strictObject({
    sku,
    name,
    description: description.default(''),
    categoryId,
    price,
    active: z.boolean().default(true),
  })
  .meta({ id: 'CreateProductRequest', description: 'A new product; the SKU is unique without regard to case and never changes' });

/** `PATCH /api/products/:id`: one or more of the details; the SKU and the active flag are not among them. */
export const UpdateProductRequest = z
  .strictObject({
    name: name.optional(),
    description: description.optional(),
    categoryId: categoryId.optional(),
    price: price.optional(),
  })
  .meta({ id: 'UpdateProductRequest' });

/** `POST /api/categories`, `PATCH /api/categories/:id` */
export const CategoryRequest = z.strictObject({ name: categoryName }).meta({ id: 'CategoryRequest' });

/** A product or category id in the path. */
export const IdParams = z.object({ id: z.uuid() });

/** The listing's orders: by name, by price (cheapest first) or by price (dearest first). */
export const ListingSortParam = z.enum(['name', 'price', '-price']);

/** `GET /api/products`, its page-size bounds from the configuration. */
export function listProductsQuery({ defaultLimit, maxLimit }: { readonly defaultLimit: number; readonly maxLimit: number }) {
  return z.object({
    category: z.uuid().optional().meta({ description: 'only products of this category id' }),
    q: z.string().max(200).optional().meta({ description: 'words that must all appear in the name or description, in any case' }),
    sort: ListingSortParam.default('name'),
    limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit),
    cursor: z.string().max(1000).optional().meta({ description: 'the nextCursor of the previous page, for the same sort' }),
  });
}

/** A price as stored, with its amount as a decimal string in the currency's major unit for display. */
export const PriceResponse = Money.extend({ amount: z.string().meta({ example: '12.50' }) }).meta({ id: 'Price' });

/** A product; `version` is its stream version, which grows with every change. */
export const ProductResponse = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    category: z.object({ id: z.uuid(), name: z.string().optional() }),
    price: PriceResponse,
    active: z.boolean(),
    version: z.int().min(1),
  })
  .meta({ id: 'Product' });

/** One page of active products, and the cursor of the next one (absent on the last page). */
export const ProductPageResponse = z
  .object({ items: z.array(ProductResponse), nextCursor: z.string().optional() })
  .meta({ id: 'ProductPage' });

/** A category. */
export const CategoryResponse = z.object({ id: z.uuid(), name: z.string(), version: z.int().min(1) }).meta({ id: 'Category' });

/** Every category, by name. */
export const CategoryListResponse = z.object({ items: z.array(CategoryResponse) }).meta({ id: 'CategoryList' });
